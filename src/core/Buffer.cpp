#include "Buffer.h"

#include <QFile>

#include <algorithm>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace pga {

namespace {
constexpr size_t kHuge = size_t(2) << 20;
constexpr size_t kPage = 4096;
}

Buffer::Buffer(size_t capacity) : m_capacity(capacity)
{
    if (capacity >= kHuge) {
        const size_t len = (capacity + kHuge - 1) & ~(kHuge - 1);
        void *p = ::mmap(nullptr, len + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED) {
            // Align to 2 MiB so the kernel can use huge pages, and give back the slack.
            const uintptr_t base = reinterpret_cast<uintptr_t>(p);
            const uintptr_t aligned = (base + kHuge - 1) & ~(kHuge - 1);
            if (aligned > base)
                ::munmap(p, aligned - base);
            const size_t tail = (base + len + kHuge) - (aligned + len);
            if (tail)
                ::munmap(reinterpret_cast<void *>(aligned + len), tail);
            ::madvise(reinterpret_cast<void *>(aligned), len, MADV_HUGEPAGE);
            m_data = reinterpret_cast<char *>(aligned);
            m_mapped = len;
            return;
        }
    }
    // Page-aligned, so that O_DIRECT can write from it.
    m_data = static_cast<char *>(std::aligned_alloc(kPage, (std::max<size_t>(capacity, 1) + kPage - 1) & ~(kPage - 1)));
    if (!m_data)
        m_capacity = 0;
}

Buffer::~Buffer()
{
    if (m_mapped)
        ::munmap(m_data, m_mapped);
    else
        std::free(m_data);
}

Buffer::Buffer(Buffer &&o) noexcept
    : m_data(std::exchange(o.m_data, nullptr)), m_size(std::exchange(o.m_size, 0)),
      m_capacity(std::exchange(o.m_capacity, 0)), m_mapped(std::exchange(o.m_mapped, 0))
{
}

Buffer &Buffer::operator=(Buffer &&o) noexcept
{
    if (this != &o) {
        this->~Buffer();
        new (this) Buffer(std::move(o));
    }
    return *this;
}

Result<MappedFile> MappedFile::open(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    auto fail = [&](int e) {
        const QString sys = QString::fromLocal8Bit(std::strerror(e));
        if (e == ENOENT)
            return Error(Error::Code::NotFound, QStringLiteral("%1 does not exist.").arg(path), sys);
        return Error(Error::Code::Io, QStringLiteral("Cannot read %1: %2.").arg(path, sys), sys);
    };
    if (fd < 0)
        return fail(errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int e = errno;
        ::close(fd);
        return fail(e);
    }
    MappedFile f;
    f.m_size = size_t(st.st_size);
    if (f.m_size == 0) {
        ::close(fd);
        f.m_data = "";
        return f;
    }
    void *p = ::mmap(nullptr, f.m_size, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
    if (p != MAP_FAILED) {
        ::close(fd);
        f.m_map = p;
        f.m_data = static_cast<const char *>(p);
        return f;
    }
    f.m_fallback = Buffer(f.m_size);
    size_t done = 0;
    while (done < f.m_size) {
        const ssize_t n = ::read(fd, f.m_fallback.data() + done, f.m_size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int e = n < 0 ? errno : EIO;
            ::close(fd);
            return fail(e);
        }
        done += size_t(n);
    }
    ::close(fd);
    f.m_fallback.resize(done);
    f.m_data = f.m_fallback.data();
    return f;
}

MappedFile::~MappedFile()
{
    if (m_map)
        ::munmap(m_map, m_size);
}

MappedFile::MappedFile(MappedFile &&o) noexcept
    : m_data(std::exchange(o.m_data, nullptr)), m_size(std::exchange(o.m_size, 0)), m_map(std::exchange(o.m_map, nullptr)),
      m_fallback(std::move(o.m_fallback))
{
    if (!m_map && !m_fallback.isNull())
        m_data = m_fallback.data();
}

MappedFile &MappedFile::operator=(MappedFile &&o) noexcept
{
    if (this != &o) {
        this->~MappedFile();
        new (this) MappedFile(std::move(o));
    }
    return *this;
}

} // namespace pga
