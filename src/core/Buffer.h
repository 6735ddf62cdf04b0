#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

#include <cstddef>

namespace pga {

// A large, move-only byte buffer. Big ones are backed by transparent huge pages: on virtual machines a
// fresh 16 MiB buffer in 4 KiB pages can cost more in page faults than compressing it.
class Buffer {
public:
    Buffer() = default;
    explicit Buffer(size_t capacity);
    ~Buffer();
    Buffer(Buffer &&o) noexcept;
    Buffer &operator=(Buffer &&o) noexcept;
    Buffer(const Buffer &) = delete;
    Buffer &operator=(const Buffer &) = delete;

    bool isNull() const { return m_data == nullptr; }
    char *data() { return m_data; }
    const char *data() const { return m_data; }
    size_t size() const { return m_size; }
    size_t capacity() const { return m_capacity; }
    void resize(size_t n) { m_size = n <= m_capacity ? n : m_capacity; }
    // A QByteArray over the bytes, without copying; valid while the buffer lives.
    QByteArray view() const { return QByteArray::fromRawData(m_data, qsizetype(m_size)); }

private:
    char *m_data = nullptr;
    size_t m_size = 0;
    size_t m_capacity = 0;
    size_t m_mapped = 0;   // bytes mmap'ed (0: nothing to unmap)
};

// A whole file, read-only: mapped and populated in one go, or read into a Buffer where mapping fails.
class MappedFile {
public:
    // NotFound when absent; Io otherwise.
    static Result<MappedFile> open(const QString &path);
    MappedFile() = default;
    ~MappedFile();
    MappedFile(MappedFile &&o) noexcept;
    MappedFile &operator=(MappedFile &&o) noexcept;
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    const char *data() const { return m_data; }
    size_t size() const { return m_size; }
    QByteArray view() const { return QByteArray::fromRawData(m_data, qsizetype(m_size)); }

private:
    const char *m_data = nullptr;
    size_t m_size = 0;
    void *m_map = nullptr;
    Buffer m_fallback;
};

} // namespace pga
