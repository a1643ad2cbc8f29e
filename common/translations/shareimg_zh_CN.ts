<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BusyIndicator</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>CodecBox</name>
    <message>
        <source>qt — Qt example format</source>
        <translation>qt — Qt 示例格式</translation>
    </message>
    <message>
        <source>raw — pixels, fastest</source>
        <translation>raw — 原始像素，最快</translation>
    </message>
    <message>
        <source>How the image is written into the segment; C++ Qt programs read only &apos;qt&apos;</source>
        <translation>图像写入共享内存段的方式；C++ Qt 程序只能读取 &apos;qt&apos;</translation>
    </message>
</context>
<context>
    <name>ConsumerLesson</name>
    <message>
        <source>Name the segment: the key the provider used.</source>
        <translation>给共享内存段命名：用提供者用的那个键。</translation>
    </message>
    <message>
        <source>Take the lock, so the provider cannot write meanwhile.</source>
        <translation>加锁，这期间提供者不能写入。</translation>
    </message>
    <message>
        <source>Map the provider&apos;s segment into this program.</source>
        <translation>把提供者的共享内存段映射到本程序。</translation>
    </message>
    <message>
        <source>Copy the image out and show it.</source>
        <translation>把图像复制出来并显示。</translation>
    </message>
    <message>
        <source>Give the lock back to the provider.</source>
        <translation>把锁还给提供者。</translation>
    </message>
    <message>
        <source>Leave the segment; the last to leave removes it.</source>
        <translation>断开共享内存段；最后一个断开的进程会删除它。</translation>
    </message>
    <message>
        <source>key &apos;{}&apos; · {}×{} · read by hand</source>
        <translation>键 &apos;{}&apos; · {}×{} · 手动读取</translation>
    </message>
    <message>
        <source>Step-through ended: detach() waits for the provider&apos;s unlock, and the window goes on meanwhile.</source>
        <translation>逐步演示已结束：detach() 正在等待提供者解锁，这期间窗口照常可用。</translation>
    </message>
</context>
<context>
    <name>ConsumerWindow</name>
    <message>
        <source>Display Image From Shared Memory</source>
        <translation>从共享内存显示图像</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Save As…</source>
        <translation>另存为(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Actual Size (100 %)</source>
        <translation>实际大小 (100 %)(&amp;A)</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>Reading key &apos;{}&apos;…</source>
        <translation>正在读取键 &apos;{}&apos;…</translation>
    </message>
    <message>
        <source>Watching key &apos;{}&apos;…</source>
        <translation>正在监视键 &apos;{}&apos;…</translation>
    </message>
    <message>
        <source>Nothing to save yet.</source>
        <translation>还没有可保存的图像。</translation>
    </message>
    <message>
        <source>Saved {}.</source>
        <translation>已保存 {}。</translation>
    </message>
    <message>
        <source>Image copied to the clipboard.</source>
        <translation>图像已复制到剪贴板。</translation>
    </message>
    <message>
        <source>About shareimg consumer</source>
        <translation>关于 shareimg 消费者</translation>
    </message>
    <message>
        <source>&lt;b&gt;shareimg consumer&lt;/b&gt; {}&lt;p&gt;Shows the image another process shares through a Qt QSharedMemory segment, as program B of the classic Qt IPC article.&lt;/p&gt;</source>
        <translation>&lt;b&gt;shareimg 消费者&lt;/b&gt; {}&lt;p&gt;显示另一个进程通过 Qt QSharedMemory 共享内存段共享的图像，即经典 Qt 进程间通信文章中的程序 B。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>{} — shareimg consumer — key &apos;{}&apos;</source>
        <translation>{} — shareimg 消费者 — 键 &apos;{}&apos;</translation>
    </message>
    <message>
        <source>shareimg consumer — key &apos;{}&apos;</source>
        <translation>shareimg 消费者 — 键 &apos;{}&apos;</translation>
    </message>
    <message>
        <source>Press the button to display the image shared under key &apos;{}&apos;.</source>
        <translation>按下按钮以显示键 &apos;{}&apos; 下共享的图像。</translation>
    </message>
    <message>
        <source>key &apos;{}&apos; · no image yet</source>
        <translation>键 &apos;{}&apos; · 尚无图像</translation>
    </message>
    <message>
        <source>The image will be read when the lock is free.</source>
        <translation>锁释放后将读取图像。</translation>
    </message>
    <message>
        <source>Watch</source>
        <translation>监视</translation>
    </message>
    <message>
        <source>Show each new image by itself</source>
        <translation>自动显示每一幅新图像</translation>
    </message>
    <message>
        <source>&amp;Display</source>
        <translation>显示(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Watch</source>
        <translation>监视(&amp;W)</translation>
    </message>
    <message>
        <source>F&amp;ull Screen</source>
        <translation>全屏(&amp;U)</translation>
    </message>
    <message>
        <source>{:.0f} fps</source>
        <translation>{:.0f} 帧/秒</translation>
    </message>
    <message>
        <source>{} dropped</source>
        <translation>丢弃 {} 帧</translation>
    </message>
    <message>
        <source>latency {}</source>
        <translation>延迟 {}</translation>
    </message>
    <message>
        <source>nothing is shared yet</source>
        <translation>尚未共享任何内容</translation>
    </message>
    <message>
        <source>the provider stopped sharing</source>
        <translation>提供者已停止共享</translation>
    </message>
    <message>
        <source>the provider (pid {}) is gone</source>
        <translation>提供者（进程 {}）已退出</translation>
    </message>
    <message>
        <source> The image shown is the last one read.</source>
        <translation> 显示的是最后读取的图像。</translation>
    </message>
    <message>
        <source>Watching key &apos;{}&apos;: {}.</source>
        <translation>正在监视键 &apos;{}&apos;：{}。</translation>
    </message>
    <message>
        <source>fit</source>
        <translation>适应</translation>
    </message>
    <message>
        <source>Showing the image shared under key &apos;{}&apos;.</source>
        <translation>正在显示键 &apos;{}&apos; 下共享的图像。</translation>
    </message>
    <message>
        <source>key &apos;{}&apos;</source>
        <translation>键 &apos;{}&apos;</translation>
    </message>
    <message>
        <source>{} codec</source>
        <translation>{} 编码</translation>
    </message>
    <message>
        <source>generation {}</source>
        <translation>第 {} 代</translation>
    </message>
    <message>
        <source>{:,} bytes</source>
        <translation>{:,} 字节</translation>
    </message>
    <message>
        <source>Nothing is shared under key &apos;{}&apos; yet — start the provider and load an image.</source>
        <translation>键 &apos;{}&apos; 下尚未共享任何内容 — 请启动提供者并加载图像。</translation>
    </message>
</context>
<context>
    <name>DetailsDock</name>
    <message>
        <source>Details</source>
        <translation>详细信息</translation>
    </message>
    <message>
        <source>Width × height</source>
        <translation>宽 × 高</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节数</translation>
    </message>
    <message>
        <source>Codec</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Generation</source>
        <translation>代次</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供者</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>来自</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>pid {} ({})</source>
        <translation>进程 {}（{}）</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>another Qt program (no metadata)</source>
        <translation>另一个 Qt 程序（无元数据）</translation>
    </message>
    <message>
        <source>this machine</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>gone</source>
        <translation>已退出</translation>
    </message>
    <message>
        <source>{:.1f} s</source>
        <translation>{:.1f} 秒</translation>
    </message>
    <message>
        <source>{} over the network</source>
        <translation>{}（经网络）</translation>
    </message>
    <message>
        <source>{:.1f} ms</source>
        <translation>{:.1f} 毫秒</translation>
    </message>
    <message>
        <source>From the source&apos;s publish on {} to this window: the two machines&apos; clocks must be in step (NTP)</source>
        <translation>从来源在 {} 上发布到本窗口显示：两台机器的时钟必须同步（NTP）</translation>
    </message>
    <message>
        <source>From the provider&apos;s publish to this window</source>
        <translation>从提供者发布到本窗口显示</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>no such file</source>
        <translation>没有这个文件</translation>
    </message>
    <message>
        <source>it is a folder, not an image file</source>
        <translation>这是一个文件夹，不是图像文件</translation>
    </message>
    <message>
        <source>it is not a regular file</source>
        <translation>这不是普通文件</translation>
    </message>
    <message>
        <source>cannot load &apos;{}&apos;: {}</source>
        <translation>无法加载 &apos;{}&apos;：{}</translation>
    </message>
    <message>
        <source>key &apos;{}&apos; cannot be used: &apos;{}&apos; is a link where its key file goes: remove it, or choose another key</source>
        <translation>无法使用键 &apos;{}&apos;：&apos;{}&apos; 是一个链接，位于该键的键文件所在之处：请删除它，或选择其他键</translation>
    </message>
    <message>
        <source>the segment under key &apos;{}&apos; holds {} that are neither shareimg&apos;s nor a Qt image stream: it starts with {}</source>
        <translation>键 &apos;{}&apos; 下的共享内存段有 {}，既不是 shareimg 的数据，也不是 Qt 图像流：开头是 {}</translation>
    </message>
    <message>
        <source>{}×{} pixels</source>
        <translation>{}×{} 像素</translation>
    </message>
    <message>
        <source>{} is more than the limit of {} on a side: share a smaller image</source>
        <translation>{}超过了每边 {} 像素的上限：请共享一张更小的图像</translation>
    </message>
    <message>
        <source>{} need {} MiB, more than the limit of {} MiB: share a smaller image</source>
        <translation>{}需要 {} MiB，超过了 {} MiB 的上限：请共享一张更小的图像</translation>
    </message>
    <message>
        <source>{} need {} MiB, more than the {} MiB this machine has free: close other programs, or share a smaller image</source>
        <translation>{}需要 {} MiB，超过了本机空闲的 {} MiB：请关闭其他程序，或共享一张更小的图像</translation>
    </message>
    <message>
        <source>the data under key &apos;{}&apos; is not an image: {}</source>
        <translation>键 &apos;{}&apos; 下的数据不是图像：{}</translation>
    </message>
    <message>
        <source>user {} (uid {})</source>
        <translation>用户 {}（uid {}）</translation>
    </message>
    <message>
        <source>another user (uid {})</source>
        <translation>另一个用户（uid {}）</translation>
    </message>
    <message>
        <source>key &apos;{}&apos; is held by {}, through their link &apos;{}&apos;: choose another key, or ask them to stop</source>
        <translation>键 &apos;{}&apos; 被{}占用（通过其链接 &apos;{}&apos;）：请选择其他键，或请对方停止</translation>
    </message>
    <message>
        <source>key &apos;{}&apos; is held by {}: choose another key, or ask them to stop</source>
        <translation>键 &apos;{}&apos; 被{}占用：请选择其他键，或请对方停止</translation>
    </message>
    <message>
        <source>the key is empty: enter a key</source>
        <translation>键为空：请输入一个键</translation>
    </message>
    <message>
        <source>too long: {} characters, at most {}</source>
        <translation>太长：{} 个字符，最多 {} 个</translation>
    </message>
    <message>
        <source>a space</source>
        <translation>空格</translation>
    </message>
    <message>
        <source>it starts with {}: start with an ASCII letter or digit</source>
        <translation>以 {} 开头：请以 ASCII 字母或数字开头</translation>
    </message>
    <message>
        <source>{} is not allowed: only ASCII letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;</source>
        <translation>不允许使用 {}：只能使用 ASCII 字母、数字、&apos;.&apos;、&apos;_&apos; 和 &apos;-&apos;</translation>
    </message>
    <message>
        <source>invalid key {}: {}</source>
        <translation>无效的键 {}：{}</translation>
    </message>
    <message>
        <source>TMPDIR &apos;{}&apos; does not exist: Qt keeps the key files there; create it, or set TMPDIR to a folder of yours</source>
        <translation>TMPDIR &apos;{}&apos; 不存在：Qt 把键文件放在那里；请创建它，或把 TMPDIR 设为你自己的文件夹</translation>
    </message>
    <message>
        <source>TMPDIR &apos;{}&apos; is not a folder: Qt keeps the key files there; set TMPDIR to a folder of yours</source>
        <translation>TMPDIR &apos;{}&apos; 不是文件夹：Qt 把键文件放在那里；请把 TMPDIR 设为你自己的文件夹</translation>
    </message>
    <message>
        <source>TMPDIR &apos;{}&apos; is not writable by you: Qt keeps the key files there; set TMPDIR to a folder of yours</source>
        <translation>你无权写入 TMPDIR &apos;{}&apos;：Qt 把键文件放在那里；请把 TMPDIR 设为你自己的文件夹</translation>
    </message>
    <message>
        <source>TMPDIR &apos;{}&apos; is full: Qt keeps the key files there; free some space in it, or set TMPDIR to another folder</source>
        <translation>TMPDIR &apos;{}&apos; 已满：Qt 把键文件放在那里；请在其中腾出空间，或把 TMPDIR 设为另一个文件夹</translation>
    </message>
    <message>
        <source>{} (the same for provider and consumer)</source>
        <translation>{}（提供者和消费者须使用同一个）</translation>
    </message>
    <message>
        <source>the folder &apos;{}&apos; does not exist</source>
        <translation>文件夹 &apos;{}&apos; 不存在</translation>
    </message>
    <message>
        <source>&apos;{}&apos; is not a folder</source>
        <translation>&apos;{}&apos; 不是文件夹</translation>
    </message>
    <message>
        <source>it is a folder</source>
        <translation>这是一个文件夹</translation>
    </message>
    <message>
        <source>no permission to write to &apos;{}&apos;</source>
        <translation>没有写入 &apos;{}&apos; 的权限</translation>
    </message>
    <message>
        <source>the name has no extension: add one, such as .png</source>
        <translation>文件名没有扩展名：请加上一个，例如 .png</translation>
    </message>
    <message>
        <source>Qt cannot write &apos;.{}&apos; images: use one of {}</source>
        <translation>Qt 不能写入 &apos;.{}&apos; 格式的图像：请使用 {} 之一</translation>
    </message>
    <message>
        <source>cannot save the image to &apos;{}&apos;: {}</source>
        <translation>无法将图像保存到 &apos;{}&apos;：{}</translation>
    </message>
    <message>
        <source>use 1 to 100 ASCII letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, starting with a letter or digit</source>
        <translation>请使用 1 到 100 个 ASCII 字母、数字、&apos;.&apos;、&apos;_&apos; 或 &apos;-&apos;，并以字母或数字开头</translation>
    </message>
</context>
<context>
    <name>FileDialogs</name>
    <message>
        <source>Choose an image to share</source>
        <translation>选择要共享的图像</translation>
    </message>
    <message>
        <source>Images ({})</source>
        <translation>图像 ({})</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Save Image As</source>
        <translation>图像另存为</translation>
    </message>
</context>
<context>
    <name>Glossary</name>
    <message>
        <source>provider</source>
        <extracomment>never: 提供方, 供应者, 提供端</extracomment>
        <translation>提供者</translation>
    </message>
    <message>
        <source>consumer</source>
        <extracomment>never: 消费方, 使用者, 消费端</extracomment>
        <translation>消费者</translation>
    </message>
    <message>
        <source>segment</source>
        <extracomment>never: 内存块, 共享段</extracomment>
        <translation>共享内存段</translation>
    </message>
    <message>
        <source>key</source>
        <extracomment>never: 密钥, 键值</extracomment>
        <translation>键</translation>
    </message>
    <message>
        <source>attach</source>
        <extracomment>never: 附加, 挂接, 附着</extracomment>
        <translation>连接</translation>
    </message>
    <message>
        <source>detach</source>
        <extracomment>never: 离开, 分离, 脱离</extracomment>
        <translation>断开</translation>
    </message>
    <message>
        <source>lock</source>
        <extracomment>never: 锁定, 上锁</extracomment>
        <translation>锁</translation>
    </message>
    <message>
        <source>unlock</source>
        <extracomment>never: 开锁, 释放锁</extracomment>
        <translation>解锁</translation>
    </message>
</context>
<context>
    <name>KeyDialog</name>
    <message>
        <source>Shared-memory key</source>
        <translation>共享内存键</translation>
    </message>
    <message>
        <source>The key names the shared segment; provider and consumer use the same one.</source>
        <translation>键是共享内存段的名字；提供者和消费者须使用同一个键。</translation>
    </message>
    <message>
        <source>{}.</source>
        <translation>{}。</translation>
    </message>
    <message>
        <source>Key:</source>
        <translation>键：</translation>
    </message>
</context>
<context>
    <name>Mistakes</name>
    <message>
        <source>lock() worked and nothing unlocks it: the lock stays held by this window (pid {}). The other program&apos;s lock(), attach(), create() and detach() wait for it; if this process ended, the kernel would free it (SEM_UNDO). Next: click unlock() to give it back.</source>
        <translation>lock() 成功，却没有解锁：锁一直由本窗口持有（pid {}）。另一个程序的 lock()、attach()、create() 和 detach() 都要等它；本进程结束时，内核会释放它（SEM_UNDO）。下一步：点击 unlock() 解锁。</translation>
    </message>
    <message>
        <source>The first create() made the segment; the second fails with AlreadyExists: one key names one segment, and a program that finds it there attaches instead. Next: this window holds the segment; detach() leaves it, and the last detach removes it.</source>
        <translation>第一次 create() 创建了共享内存段；第二次失败，报 AlreadyExists：一个键只对应一个共享内存段，发现它已存在的程序应改为连接。下一步：本窗口持有该共享内存段；detach() 断开它，最后一个断开的会删除它。</translation>
    </message>
    <message>
        <source>Next: detach() in the other window frees the key; then create() here.</source>
        <translation>下一步：在另一个窗口 detach() 断开以释放这个键，然后在这里 create()。</translation>
    </message>
    <message>
        <source>Next: click attach().</source>
        <translation>下一步：点击 attach()。</translation>
    </message>
    <message>
        <source>Nothing was called: the consumer is attached to a segment under this key ({} attached), and this window cannot remove it, so attach() would simply work. The mistake needs no segment under the key: click detach() in the consumer&apos;s window, then choose this mistake again.</source>
        <translation>没有调用任何函数：消费者已连接到这个键下的共享内存段（已连接 {} 个），本窗口无法删除它，所以 attach() 只会直接成功。这个错误需要键下没有共享内存段：先在消费者窗口点击 detach() 断开，再重新选择这个错误。</translation>
    </message>
    <message>
        <source>Nothing was called: the provider holds a segment under this key ({} attached), and this window cannot remove it, so attach() would simply work. The mistake needs no segment under the key: stop sharing there (detach() in the provider&apos;s window), then choose this mistake again.</source>
        <translation>没有调用任何函数：提供者持有这个键下的共享内存段（已连接 {} 个），本窗口无法删除它，所以 attach() 只会直接成功。这个错误需要键下没有共享内存段：先让提供者停止共享（在提供者窗口 detach() 断开），再重新选择这个错误。</translation>
    </message>
    <message>
        <source>attach() fails with NotFound: no program has created a segment under this key yet. Next: create() makes it.</source>
        <translation>attach() 失败，报 NotFound：还没有程序在这个键下创建共享内存段。下一步：create() 创建它。</translation>
    </message>
    <message>
        <source>attach() fails with NotFound: no program has created a segment under this key yet. Next: create() in the provider&apos;s window, then attach() here.</source>
        <translation>attach() 失败，报 NotFound：还没有程序在这个键下创建共享内存段。下一步：先在提供者窗口 create()，再在这里 attach()。</translation>
    </message>
    <message>
        <source>A segment already existed under this key, kept by the other program ({} attached): both create() calls fail with AlreadyExists. A program that finds a segment attaches to it instead.</source>
        <translation>这个键下已有共享内存段，由另一个程序保留（已连接 {} 个）：两次 create() 都失败，报 AlreadyExists。发现共享内存段已存在的程序应改为连接它。</translation>
    </message>
    <message>
        <source>The read worked ({}), but without lock() nothing stopped a writer meanwhile: the image can be torn, half old and half new. Next: lock() before reading, unlock() after.</source>
        <translation>读取成功（{}），但没有 lock()，期间没有什么能阻止写入：图像可能被撕裂，一半旧一半新。下一步：读取前 lock()，读取后 unlock()。</translation>
    </message>
    <message>
        <source>detach() worked: this window left, and the segment stays while others are attached (the kernel&apos;s count went from {} to {}). Only the last detach removes it.</source>
        <translation>detach() 成功：本窗口已断开，但还有别的连接，共享内存段仍在（内核计数从 {} 降到 {}）。只有最后一个断开的才会删除它。</translation>
    </message>
    <message>
        <source>Next: the stand-in holds it now, and lets go when you choose another mistake or end the step-through.</source>
        <translation>下一步：现在由替身持有它；选择另一个错误或结束逐步演示时，替身会断开。</translation>
    </message>
    <message>
        <source>Next: the consumer holds it now; create() here fails with AlreadyExists until it detaches.</source>
        <translation>下一步：现在由消费者持有它；在它断开之前，这里的 create() 会报 AlreadyExists。</translation>
    </message>
    <message>
        <source>Next: attach() to come back.</source>
        <translation>下一步：attach() 重新连接。</translation>
    </message>
    <message>
        <source>Unexpected: detach() worked and the segment is gone: nobody else was attached, so this was the last detach. Start again: setKey(), then create().</source>
        <translation>意外：detach() 成功，共享内存段却没了：没有别的连接，这是最后一个断开。请重新开始：先 setKey()，再 create()。</translation>
    </message>
    <message>
        <source>Forget to unlock</source>
        <translation>忘记解锁</translation>
    </message>
    <message>
        <source>Create twice</source>
        <translation>创建两次</translation>
    </message>
    <message>
        <source>Attach before anything is created</source>
        <translation>在创建之前连接</translation>
    </message>
    <message>
        <source>Read without the lock</source>
        <translation>不加锁就读取</translation>
    </message>
    <message>
        <source>Detach while the other side still reads</source>
        <translation>对方仍在读取时断开</translation>
    </message>
</context>
<context>
    <name>NetworkSection</name>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>tcp/HOST:{}</source>
        <translation>tcp/主机:{}</translation>
    </message>
    <message>
        <source>Where machines that run shareimg-bridge send listen, e.g. tcp/192.168.1.5:{} (several: commas)</source>
        <translation>运行 shareimg-bridge send 的机器监听的地址，例如 tcp/192.168.1.5:{}（多个地址用逗号分隔）</translation>
    </message>
    <message>
        <source>Click a source to receive it from its machine and show it</source>
        <translation>单击某个来源，即可从它所在的机器接收并显示它</translation>
    </message>
    <message>
        <source>Enter where a machine that runs shareimg-bridge send listens, e.g. tcp/192.168.1.5:{}, then press Enter.</source>
        <translation>请输入运行 shareimg-bridge send 的机器监听的地址，例如 tcp/192.168.1.5:{}，然后按回车键。</translation>
    </message>
    <message>
        <source>Looking for sources…</source>
        <translation>正在查找来源…</translation>
    </message>
    <message>
        <source>The network cannot be used: {}</source>
        <translation>无法使用网络：{}</translation>
    </message>
    <message>
        <source>Nobody answers at {}: is shareimg-bridge send running there, listening on that address?</source>
        <translation>{} 没有应答：那里是否正在运行 shareimg-bridge send，并监听这个地址？</translation>
    </message>
    <message>
        <source>No source is sent from {} now.</source>
        <translation>{} 现在没有发送任何来源。</translation>
    </message>
    <message>
        <source>{} · {} · pid {} on its machine · sent as {}</source>
        <translation>{} · {} · 其机器上的 pid {} · 以 {} 发送</translation>
    </message>
</context>
<context>
    <name>Playback</name>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Playing {}.</source>
        <translation>正在播放 {}。</translation>
    </message>
    <message>
        <source>Paused {}: the frame shown stays shared.</source>
        <translation>已暂停 {}：显示的这一帧仍在共享。</translation>
    </message>
</context>
<context>
    <name>ProviderLesson</name>
    <message>
        <source>Name the segment: the key both programs use.</source>
        <translation>给共享内存段命名：两个程序使用同一个键。</translation>
    </message>
    <message>
        <source>Leave the segment this program had, if any.</source>
        <translation>断开本程序原有的共享内存段（如果有）。</translation>
    </message>
    <message>
        <source>Make a new segment big enough for the image.</source>
        <translation>创建一个足够放下图像的新共享内存段。</translation>
    </message>
    <message>
        <source>Take the lock: nobody else reads or writes meanwhile.</source>
        <translation>加锁：这期间别人不能读写。</translation>
    </message>
    <message>
        <source>Write the image into the segment.</source>
        <translation>把图像写入共享内存段。</translation>
    </message>
    <message>
        <source>Give the lock back: the consumer may read now.</source>
        <translation>解锁：消费者现在可以读取了。</translation>
    </message>
    <message>
        <source>Step-through ended: the segment made by hand is removed once the consumer unlocks; the window goes on meanwhile.</source>
        <translation>逐步演示已结束：消费者 unlock() 解锁后，手动创建的共享内存段才会被删除；这期间窗口照常可用。</translation>
    </message>
    <message>
        <source>{:,} bytes written by hand</source>
        <translation>手动写入 {:,} 字节</translation>
    </message>
</context>
<context>
    <name>ProviderWindow</name>
    <message>
        <source>Load an image to share it with the consumer, or drop one here.</source>
        <translation>加载图像以与消费者共享，或将图像拖放到此处。</translation>
    </message>
    <message>
        <source>Load Image From File…</source>
        <translation>从文件加载图像…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Paste Image</source>
        <translation>粘贴图像(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Stop Sharing</source>
        <translation>停止共享(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Loading {}…</source>
        <translation>正在加载 {}…</translation>
    </message>
    <message>
        <source>Sharing {}…</source>
        <translation>正在共享 {}…</translation>
    </message>
    <message>
        <source>key &apos;{}&apos;</source>
        <translation>键 &apos;{}&apos;</translation>
    </message>
    <message>
        <source>{} codec</source>
        <translation>{} 编码</translation>
    </message>
    <message>
        <source>{:,} bytes shared</source>
        <translation>已共享 {:,} 字节</translation>
    </message>
    <message>
        <source>generation {}</source>
        <translation>第 {} 代</translation>
    </message>
    <message>
        <source>the clipboard image</source>
        <translation>剪贴板图像</translation>
    </message>
    <message>
        <source>pasted image</source>
        <translation>粘贴的图像</translation>
    </message>
    <message>
        <source>The clipboard holds no image.</source>
        <translation>剪贴板中没有图像。</translation>
    </message>
    <message>
        <source>dropped image</source>
        <translation>拖放的图像</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>About shareimg provider</source>
        <translation>关于 shareimg 提供者</translation>
    </message>
    <message>
        <source>&lt;b&gt;shareimg provider&lt;/b&gt; {}&lt;p&gt;Shares an image with other processes through a Qt QSharedMemory segment, as program A of the classic Qt IPC article.&lt;/p&gt;</source>
        <translation>&lt;b&gt;shareimg 提供者&lt;/b&gt; {}&lt;p&gt;通过 Qt QSharedMemory 共享内存段与其他进程共享图像，即经典 Qt 进程间通信文章中的程序 A。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>the dropped image</source>
        <translation>拖放的图像</translation>
    </message>
    <message>
        <source>The window keeps working; the image will be shared when the lock is free.</source>
        <translation>窗口仍可使用；锁释放后将共享图像。</translation>
    </message>
    <message>
        <source>Share &amp;Again</source>
        <translation>再次共享(&amp;A)</translation>
    </message>
    <message>
        <source>Sharing {}, drawn at {}×{} from an SVG of {}×{}.</source>
        <translation>正在共享 {}，按 {}×{} 绘制（SVG 声明的大小为 {}×{}）。</translation>
    </message>
    <message>
        <source>Another program is already sharing under key &apos;{}&apos;. Choose another key, or keep this window open: {} is shared as soon as the key is free.</source>
        <translation>另一个程序已在键 &apos;{}&apos; 下共享。请选择其他键，或保持此窗口打开：键一旦空闲，{} 就会被共享。</translation>
    </message>
    <message>
        <source>shareimg provider — key &apos;{}&apos;</source>
        <translation>shareimg 提供者 — 键 &apos;{}&apos;</translation>
    </message>
    <message>
        <source>key &apos;{}&apos; · nothing shared yet</source>
        <translation>键 &apos;{}&apos; · 尚未共享</translation>
    </message>
    <message>
        <source>Stopped sharing: the segment is removed.</source>
        <translation>已停止共享：共享内存段已删除。</translation>
    </message>
    <message>
        <source>Sharing {}.</source>
        <translation>正在共享 {}。</translation>
    </message>
    <message>
        <source> The image shared before is still shared.</source>
        <translation> 之前共享的图像仍在共享。</translation>
    </message>
    <message>
        <source>Loading {} was cancelled.</source>
        <translation>已取消加载 {}。</translation>
    </message>
    <message>
        <source>drawn at {}×{} from an SVG of {}×{}</source>
        <translation>按 {}×{} 绘制（SVG 声明的大小为 {}×{}）</translation>
    </message>
    <message>
        <source>test pattern {}×{}</source>
        <translation>测试图案 {}×{}</translation>
    </message>
</context>
<context>
    <name>RemoteReception</name>
    <message>
        <source>{} cannot be received: {}</source>
        <translation>无法接收 {}：{}</translation>
    </message>
    <message>
        <source>{} cannot be received: keys &apos;{}&apos; and &apos;{}&apos; are both in use here; stop what shares under one</source>
        <translation>无法接收 {}：键 &apos;{}&apos; 和 &apos;{}&apos; 在本机都已被使用；请停止其中一个键下的共享</translation>
    </message>
    <message>
        <source>Connecting to {}…</source>
        <translation>正在连接 {}…</translation>
    </message>
    <message>
        <source>Receiving {} under key &apos;{}&apos;.</source>
        <translation>正在接收 {}，共享在键 &apos;{}&apos; 下。</translation>
    </message>
    <message>
        <source>Nothing has come from {} yet: is its machine reachable, and its source sharing?</source>
        <translation>尚未从 {} 收到任何内容：它的机器能否访问？它的来源是否正在共享？</translation>
    </message>
</context>
<context>
    <name>SegmentPicture</name>
    <message>
        <source>no segment</source>
        <translation>没有共享内存段</translation>
    </message>
    <message>
        <source>lock: free</source>
        <translation>锁：空闲</translation>
    </message>
    <message>
        <source>lock: held by this window (pid {})</source>
        <translation>锁：被本窗口持有（pid {}）</translation>
    </message>
    <message>
        <source>lock: held by pid {}</source>
        <translation>锁：被 pid {} 持有</translation>
    </message>
    <message>
        <source>{:,} bytes, unseen from this window until it attaches</source>
        <translation>{:,} 字节：本窗口连接之前看不到其内容</translation>
    </message>
    <message>
        <source>{:,} bytes: {:,} image (blue), {:,} free (grey), {:,} trailer (orange)</source>
        <translation>{:,} 字节：图像 {:,}（蓝），空闲 {:,}（灰），尾部 {:,}（橙）</translation>
    </message>
    <message>
        <source>processes attached (kernel): {}</source>
        <translation>已连接的进程数（内核）：{}</translation>
    </message>
    <message>
        <source>this window: attached</source>
        <translation>本窗口：已连接</translation>
    </message>
    <message>
        <source>this window: not attached</source>
        <translation>本窗口：未连接</translation>
    </message>
</context>
<context>
    <name>SharingWindow</name>
    <message>
        <source>Change Key…</source>
        <translation>更改键…</translation>
    </message>
    <message>
        <source>Change &amp;Key…</source>
        <extracomment>The window&apos;s own ways to share or read: paused while the step-through has the segment.</extracomment>
        <translation>更改键(&amp;K)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>Error: {}.</source>
        <translation>错误：{}。</translation>
    </message>
    <message>
        <source>Unexpected error: {}.</source>
        <translation>意外错误：{}。</translation>
    </message>
    <message>
        <source>Waiting for the lock of key &apos;{}&apos;: another process has held it for {:.0f} s.</source>
        <translation>正在等待键 &apos;{}&apos; 的锁：另一个进程已持有它 {:.0f} 秒。</translation>
    </message>
</context>
<context>
    <name>SourcesDock</name>
    <message>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Double-click a source, or press Enter, to show it</source>
        <translation>双击某个来源（或按回车键）即可显示它</translation>
    </message>
    <message>
        <source>No live sources. A provider appears here as soon as it shares an image.</source>
        <translation>没有正在共享的来源。提供者一开始共享图像，就会出现在这里。</translation>
    </message>
    <message>
        <source>&amp;Network Sources</source>
        <translation>网络来源(&amp;N)</translation>
    </message>
    <message>
        <source>List the sources other machines send, in the Sources panel</source>
        <translation>在来源面板中列出其他机器发送的来源</translation>
    </message>
    <message>
        <source>&amp;Sources</source>
        <translation>来源(&amp;S)</translation>
    </message>
    <message>
        <source>Qt program</source>
        <translation>Qt 程序</translation>
    </message>
    <message>
        <source>Sources cannot be listed: {}</source>
        <translation>无法列出来源：{}</translation>
    </message>
    <message>
        <source>{:.0f} fps</source>
        <extracomment>Item data: True on the row of the source the window shows.</extracomment>
        <translation>{:.0f} 帧/秒</translation>
    </message>
    <message>
        <source>still</source>
        <translation>静止</translation>
    </message>
    <message>
        <source>{} · key &apos;{}&apos; · pid {} ({}) · {} codec</source>
        <translation>{} · 键 &apos;{}&apos; · pid {}（{}）· {} 编码</translation>
    </message>
    <message>
        <source>No live sources</source>
        <translation>没有正在共享的来源</translation>
    </message>
</context>
<context>
    <name>StepLog</name>
    <message>
        <source>copy</source>
        <translation>写入</translation>
    </message>
    <message>
        <source>read</source>
        <translation>读取</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Count · mean</source>
        <translation>次数 · 平均</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>×{:,} · mean {:.2f} ms</source>
        <translation>×{:,} · 平均 {:.2f} ms</translation>
    </message>
</context>
<context>
    <name>StepNotes</name>
    <message>
        <source>already attached (Qt sets no error)</source>
        <translation>已连接（Qt 不设置错误）</translation>
    </message>
    <message>
        <source>not attached (Qt sets no error)</source>
        <translation>未连接（Qt 不设置错误）</translation>
    </message>
    <message>
        <source>this window holds no lock (Qt sets no error)</source>
        <translation>本窗口没有加锁（Qt 不设置错误）</translation>
    </message>
    <message>
        <source>the image does not fit in the segment</source>
        <translation>图像放不进共享内存段</translation>
    </message>
    <message>
        <source>no image in the segment yet</source>
        <translation>共享内存段中还没有图像</translation>
    </message>
    <message>
        <source>the segment&apos;s bytes are not an image</source>
        <translation>共享内存段中的字节不是图像</translation>
    </message>
    <message>
        <source>the key&apos;s lock was removed</source>
        <translation>这个键的锁已被删除</translation>
    </message>
    <message>
        <source>stand-in: {}</source>
        <translation>替身：{}</translation>
    </message>
    <message>
        <source>{}() takes the lock itself: this window held it already (Qt&apos;s warning), and the call gave it back on return, so this window holds no lock now.</source>
        <translation>{}() 自己会加锁：本窗口已经持有锁（Qt 的警告），这个调用返回时把锁解锁了，所以本窗口现在没有加锁。</translation>
    </message>
    <message>
        <source>Qt&apos;s lock of this key was removed under this window (the QSharedMemory that made it was deleted); Qt has let go of it now: click setKey() to start again, then create() or attach().</source>
        <translation>这个键的 Qt 锁在本窗口不知情时被删除了（创建它的 QSharedMemory 已被销毁）；Qt 现已放开它：点击 setKey() 重新开始，然后 create() 或 attach()。</translation>
    </message>
    <message>
        <source>detach() returned false: normal here, nothing is attached yet (program A detaches in case it still held a segment); Qt sets no error.</source>
        <translation>detach() 返回 false：这里是正常的，还没有连接任何共享内存段（程序 A 先断开，以防还持有旧的共享内存段）；Qt 不设置错误。</translation>
    </message>
    <message>
        <source>detach() returned false: normal, this window is not attached; Qt sets no error.</source>
        <translation>detach() 返回 false：正常，本窗口没有连接；Qt 不设置错误。</translation>
    </message>
    <message>
        <source>unlock() returned false: normal when this window holds no lock (its lock() failed or was not made, or a later call gave it back); Qt sets no error.</source>
        <translation>unlock() 返回 false：本窗口没有加锁时这是正常的（它的 lock() 失败了、没有调用，或后来的调用已把锁解锁）；Qt 不设置错误。</translation>
    </message>
    <message>
        <source>attach() returned false: this window is attached already; Qt sets no error.</source>
        <translation>attach() 返回 false：本窗口已经连接；Qt 不设置错误。</translation>
    </message>
    <message>
        <source>This window is not attached, so data() is null: create() or attach() first.</source>
        <translation>本窗口没有连接，data() 为空：请先 create() 或 attach()。</translation>
    </message>
    <message>
        <source>The image does not fit: a segment keeps the size it was created with ({}).</source>
        <translation>图像放不下：共享内存段保持创建时的大小（{}）。</translation>
    </message>
    <message>
        <source>The segment holds no image yet: the provider&apos;s copy writes one.</source>
        <translation>共享内存段中还没有图像：提供者的写入步骤会写入一张。</translation>
    </message>
    <message>
        <source>Every call fails with KeyError until setKey() names the segment: click setKey().</source>
        <translation>在 setKey() 给共享内存段命名之前，每个调用都会报 KeyError：请点击 setKey()。</translation>
    </message>
    <message>
        <source>create() fails with AlreadyExists: a segment exists under this key already (this window&apos;s or the other program&apos;s).</source>
        <translation>create() 失败，报 AlreadyExists：这个键下已有共享内存段（本窗口的或另一个程序的）。</translation>
    </message>
    <message>
        <source>attach() fails with NotFound: nothing is created under this key yet; create() comes first.</source>
        <translation>attach() 失败，报 NotFound：这个键下还没有创建任何东西；要先 create()。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Unexpected: {} worked.</source>
        <translation>意外：{} 成功了。</translation>
    </message>
    <message>
        <source>Unexpected: {} returned false ({}).</source>
        <translation>意外：{} 返回 false（{}）。</translation>
    </message>
</context>
<context>
    <name>StepsDock</name>
    <message>
        <source>Shared-memory steps</source>
        <translation>共享内存步骤</translation>
    </message>
    <message>
        <source>C&amp;lear Steps</source>
        <translation>清除步骤(&amp;L)</translation>
    </message>
</context>
<context>
    <name>TeachDock</name>
    <message>
        <source>Step through the article</source>
        <translation>逐步演示文章</translation>
    </message>
    <message>
        <source>S&amp;tep Through the Article</source>
        <translation>逐步演示文章(&amp;T)</translation>
    </message>
    <message>
        <source>Run the corrected order</source>
        <translation>按更正后的顺序执行</translation>
    </message>
    <message>
        <source>wait s</source>
        <translation>等待 秒</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>毫秒</translation>
    </message>
    <message>
        <source>Try a &amp;Mistake</source>
        <translation>试一个错误(&amp;M)</translation>
    </message>
    <message>
        <source>Setting the scene…</source>
        <translation>正在布置场景…</translation>
    </message>
    <message>
        <source>the stand-in of the last mistake detached</source>
        <translation>上一个错误的替身已断开</translation>
    </message>
    <message>
        <source>this window: {}</source>
        <translation>本窗口：{}</translation>
    </message>
    <message>
        <source>the provider</source>
        <translation>提供者</translation>
    </message>
    <message>
        <source>the consumer</source>
        <translation>消费者</translation>
    </message>
    <message>
        <source>a stand-in for {} (a second QSharedMemory in this window, same key): {}</source>
        <translation>{}的替身（本窗口中的第二个 QSharedMemory，同一个键）：{}</translation>
    </message>
    <message>
        <source>the stand-in wrote an image into the segment ({}, generation {}); the provider&apos;s next copy writes over it</source>
        <translation>替身把一张图像写入了共享内存段（{}，第 {} 代）；提供者的下一次写入会覆盖它</translation>
    </message>
    <message>
        <source>Nothing to set up: this window is already as the mistake needs.</source>
        <translation>无需布置：本窗口已经是这个错误所需的状态。</translation>
    </message>
    <message>
        <source>Scene set up — {}.</source>
        <translation>已布置场景——{}。</translation>
    </message>
    <message>
        <source>this window held the lock: unlock() first, for the stand-in&apos;s detach() takes it</source>
        <translation>本窗口持有锁：先 unlock() 解锁，因为替身的 detach() 要加锁</translation>
    </message>
    <message>
        <source>The scene could not be set: {} returned false ({}).</source>
        <translation>无法布置场景：{} 返回 false（{}）。</translation>
    </message>
    <message>
        <source>The stand-in gave back what it took: {}.</source>
        <translation>替身已交还它占用的：{}。</translation>
    </message>
    <message>
        <source>the consumer&apos;s</source>
        <translation>消费者</translation>
    </message>
    <message>
        <source>the provider&apos;s</source>
        <translation>提供者</translation>
    </message>
    <message>
        <source>{}() waits for {} unlock… {:.0f} s</source>
        <translation>{}() 正在等待{}解锁… {:.0f} 秒</translation>
    </message>
    <message>
        <source>false</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>lock() failed: Qt sets up the key&apos;s lock only in attach() or create(), so the article&apos;s order (lock, then attach) reads without the lock. The corrected order is attach, lock, read, unlock, detach.</source>
        <translation>lock() 失败：Qt 只在 attach() 或 create() 中建立键的锁，所以文章中的顺序（先 lock 再 attach）读取时并没有加锁。更正后的顺序是：attach、lock、读取、unlock、detach。</translation>
    </message>
    <message>
        <source>{} returned false, so the order stopped there; the calls that give back what it took still ran: {}.</source>
        <translation>{} 返回 false，所以顺序在此停下；交还所占用资源的调用仍然执行了：{}。</translation>
    </message>
    <message>
        <source>Step-through: click the article&apos;s steps, in any order.</source>
        <translation>逐步演示：按任意顺序点击文章中的步骤。</translation>
    </message>
</context>
</TS>
