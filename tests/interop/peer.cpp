// A C++ Qt peer for the interoperability tests: what Qt's Shared Memory Example
// and the article's programs A and B do, driven from the command line.
// Builds unchanged with Qt 5 and Qt 6; needs no display (QCoreApplication).
//
//   peer write IMAGE [--key K] [--hold-ms N] [--title T]   share IMAGE until SIGTERM/SIGINT
//   peer read OUT [--key K]                                read the shared image, save it to OUT
//
// write prints "ready key=K bytes=N pid=P" once the image is in the segment;
// with --hold-ms it copies half, prints "locked", keeps the lock N ms, then
// copies the rest (a slow writer: readers must wait, never see half).  With
// --title it announces itself in shareimg's list of sources while it shares,
// following docs/PROTOCOL.md section 6 alone.

#include <QBuffer>
#include <QCoreApplication>
#include <QDataStream>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSharedMemory>
#include <QStringList>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace {

enum ExitCode {
    Ok = 0,
    Usage = 2,
    CannotAttach = 3,
    NullImage = 4,
    CannotLoad = 5,
    CannotCreate = 6,
    CannotSave = 7,
};

volatile std::sig_atomic_t stopRequested = 0;

void requestStop(int) { stopRequested = 1; }

void useKey(QSharedMemory &shm, const QString &key)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 6, 0)
    shm.setNativeKey(QSharedMemory::legacyNativeKey(key));
#else
    shm.setKey(key);
#endif
}

// docs/PROTOCOL.md, section 6: the announcement file; its path, or an empty string if not announced.
QString announce(const QString &key, const QString &title)
{
    const QString dir = QDir::tempPath() + QStringLiteral("/shareimg-sources-%1").arg(getuid());
    const QByteArray native = QFile::encodeName(dir);
    const int pid = int(QCoreApplication::applicationPid());
    for (int attempt = 0; attempt < 3; ++attempt) {  // the last provider may remove the empty directory
        if (mkdir(native.constData(), 0700) != 0 && errno != EEXIST)
            return QString();
        struct stat info;
        if (lstat(native.constData(), &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != getuid())
            return QString();  // not ours alone: never write there
        chmod(native.constData(), 0700);
        QSaveFile file(dir + QStringLiteral("/%1@%2.json").arg(key).arg(pid));  // a temporary, then rename
        if (!file.open(QIODevice::WriteOnly))
            continue;
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        const QJsonObject content{{"version", 1}, {"key", key}, {"title", title}, {"pid", pid},
                                  {"started", QDateTime::currentMSecsSinceEpoch() / 1000.0}};
        file.write(QJsonDocument(content).toJson(QJsonDocument::Compact));
        if (file.commit())
            return file.fileName();
    }
    return QString();
}

void withdraw(const QString &announcement)
{
    if (announcement.isEmpty())
        return;
    QFile::remove(announcement);
    QDir().rmdir(QFileInfo(announcement).path());  // only if empty: others may announce there
}

int write(const QString &path, const QString &key, int holdMs, const QString &title)
{
    std::signal(SIGTERM, requestStop);
    std::signal(SIGINT, requestStop);

    QSharedMemory shm;
    useKey(shm, key);
    if (shm.isAttached())
        shm.detach();

    QImage image(path);
    if (image.isNull()) {
        std::fprintf(stderr, "peer: cannot load %s\n", qPrintable(path));
        return CannotLoad;
    }
    QBuffer buffer;
    buffer.open(QBuffer::ReadWrite);
    QDataStream out(&buffer);
    out << image;
    const int size = int(buffer.size());

    // Announced before the segment exists, removed after it is gone: never listed untitled.
    const QString announcement = title.isEmpty() ? QString() : announce(key, title);
    if (!title.isEmpty() && announcement.isEmpty())
        std::fprintf(stderr, "peer: could not announce\n");
    if (!shm.create(size)) {
        std::fprintf(stderr, "peer: cannot create: %s\n", qPrintable(shm.errorString()));
        withdraw(announcement);
        return CannotCreate;
    }
    shm.lock();
    char *to = static_cast<char *>(shm.data());
    const char *from = buffer.data().constData();
    const int half = size / 2;
    std::memcpy(to, from, half);
    if (holdMs > 0) {
        std::printf("locked\n");
        std::fflush(stdout);
        QThread::msleep(holdMs);
    }
    std::memcpy(to + half, from + half, size - half);
    shm.unlock();

    std::printf("ready key=%s bytes=%d pid=%d\n", qPrintable(key), size, int(getpid()));
    std::fflush(stdout);
    while (!stopRequested)
        QThread::msleep(20);
    shm.detach();
    withdraw(announcement);
    return Ok;
}

int read(const QString &outPath, const QString &key)
{
    QSharedMemory shm;
    useKey(shm, key);
    if (!shm.attach()) {
        std::fprintf(stderr, "peer: cannot attach: %s\n", qPrintable(shm.errorString()));
        return CannotAttach;
    }
    QBuffer buffer;
    QDataStream in(&buffer);
    QImage image;
    shm.lock();
    buffer.setData(static_cast<const char *>(shm.constData()), int(shm.size()));
    buffer.open(QBuffer::ReadOnly);
    in >> image;
    shm.unlock();
    shm.detach();

    if (image.isNull()) {
        std::fprintf(stderr, "peer: the shared image is null\n");
        return NullImage;
    }
    if (!image.save(outPath)) {
        std::fprintf(stderr, "peer: cannot save %s\n", qPrintable(outPath));
        return CannotSave;
    }
    std::printf("read key=%s width=%d height=%d format=%d qt=%s\n", qPrintable(key), image.width(),
                image.height(), int(image.format()), qVersion());
    return Ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    QString key = QStringLiteral("shareimg");
    int holdMs = 0;
    QString title;
    for (int i = 0; i < args.size();) {
        if (args[i] == QLatin1String("--key") && i + 1 < args.size()) {
            key = args[i + 1];
            args.erase(args.begin() + i, args.begin() + i + 2);
        } else if (args[i] == QLatin1String("--title") && i + 1 < args.size()) {
            title = args[i + 1];
            args.erase(args.begin() + i, args.begin() + i + 2);
        } else if (args[i] == QLatin1String("--hold-ms") && i + 1 < args.size()) {
            holdMs = args[i + 1].toInt();
            args.erase(args.begin() + i, args.begin() + i + 2);
        } else {
            ++i;
        }
    }
    if (args.size() == 2 && args[0] == QLatin1String("write"))
        return write(args[1], key, holdMs, title);
    if (args.size() == 2 && args[0] == QLatin1String("read"))
        return read(args[1], key);
    std::fprintf(stderr, "usage: peer write IMAGE [--key K] [--hold-ms N] [--title T] | peer read OUT [--key K]\n");
    return Usage;
}
