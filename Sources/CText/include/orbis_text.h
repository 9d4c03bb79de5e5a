#ifndef ORBIS_TEXT_H
#define ORBIS_TEXT_H

#include <stddef.h>
#include <stdint.h>

/// How many bytes from `start` (before `end`) go on a run of page text as search copies it: the run ends
/// at the first '<', '&', line feed, tab, carriage return, or space right after a space (the byte before
/// `start` counts, so `start` must be at least 1). `end - start` when nothing ends it. Sixteen bytes at a
/// time with SSE2 where the processor has it (every x86-64), byte by byte otherwise; the same result.
size_t orbis_text_run_length(const uint8_t *bytes, size_t start, size_t end);

/// The byte-by-byte definition `orbis_text_run_length` follows (for tests).
size_t orbis_text_run_length_bytes(const uint8_t *bytes, size_t start, size_t end);

#endif
