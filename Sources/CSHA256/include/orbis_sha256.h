#ifndef ORBIS_SHA256_H
#define ORBIS_SHA256_H

#include <stddef.h>
#include <stdint.h>

/// SHA-256 (FIPS 180-4) of `length` bytes at `data`, written as 32 bytes to `digest`.
/// Uses the x86 SHA extensions when the processor has them, portable C otherwise.
void orbis_sha256(const void *data, size_t length, uint8_t digest[32]);

/// The same digest, always computed by the portable code (for tests comparing the two).
void orbis_sha256_portable(const void *data, size_t length, uint8_t digest[32]);

/// Whether `orbis_sha256` uses the processor's SHA extensions here.
int orbis_sha256_accelerated(void);

#endif
