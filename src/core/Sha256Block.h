#pragma once

#include <cstddef>
#include <cstdint>

// SHA-256's block function (FIPS 180-4), in two forms: the CPU's SHA extensions where present, plain C++
// elsewhere. Our own so that pgarchivist-cli, started once per WAL file, does not load libcrypto and
// initialize its providers (several milliseconds a call) for one hash.
namespace pga::sha256 {

// Processes `blocks` 64-byte blocks into state h.
void compressPortable(uint32_t h[8], const uint8_t *data, size_t blocks);
void compressShaNi(uint32_t h[8], const uint8_t *data, size_t blocks);  // only where hasShaNi()
bool hasShaNi();

} // namespace pga::sha256
