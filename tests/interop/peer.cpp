// A C++ Qt peer for the interoperability tests: what Qt's Shared Memory Example
// and the article's programs A and B do, driven from the command line.
// Builds unchanged with Qt 5 and Qt 6; needs no display (QCoreApplication).
//
//   peer write IMAGE [--key K] [--hold-ms N]   share IMAGE until SIGTERM/SIGINT
//   peer read OUT [--key K]                    read the shared image, save it to OUT
//
// write prints "ready key=K bytes=N pid=P" once the image is in the segment;
// with --hold-ms it copies half, prints "locked", keeps the lock N ms, then
// copies the rest (a slow writer: readers must wait, never see half).

#include <QBuffer>
#include <QCoreApplication>
#include <QDataStream>
#include <QImage>
#include <QSharedMemory>
#include <QStringList>
#include <QThread>

#include <csignal>
#include <cstdio>
#include <cstring>
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

int write(const QString &path, const QString &key, int holdMs)
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

    if (!shm.create(size)) {
        std::fprintf(stderr, "peer: cannot create: %s\n", qPrintable(shm.errorString()));
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
    for (int i = 0; i < args.size();) {
        if (args[i] == QLatin1String("--key") && i + 1 < args.size()) {
            key = args[i + 1];
            args.erase(args.begin() + i, args.begin() + i + 2);
        } else if (args[i] == QLatin1String("--hold-ms") && i + 1 < args.size()) {
            holdMs = args[i + 1].toInt();
            args.erase(args.begin() + i, args.begin() + i + 2);
        } else {
            ++i;
        }
    }
    if (args.size() == 2 && args[0] == QLatin1String("write"))
        return write(args[1], key, holdMs);
    if (args.size() == 2 && args[0] == QLatin1String("read"))
        return read(args[1], key);
    std::fprintf(stderr, "usage: peer write IMAGE [--key K] [--hold-ms N] | peer read OUT [--key K]\n");
    return Usage;
}
