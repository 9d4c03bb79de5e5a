// The scan that copies a page's text for search (SiteSearch's extraction): most of a page's `<main>` is
// runs of words between tags, and finding where each ends byte by byte was half of the extraction's time.
#include "orbis_text.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static inline int ends_run(uint8_t byte, uint8_t before) {
    return byte == '<' || byte == '&' || byte == '\n' || byte == '\t' || byte == '\r' || (byte == ' ' && before == ' ');
}

size_t orbis_text_run_length_bytes(const uint8_t *bytes, size_t start, size_t end) {
    size_t i = start;
    while (i < end && !ends_run(bytes[i], bytes[i - 1])) i++;
    return i - start;
}

size_t orbis_text_run_length(const uint8_t *bytes, size_t start, size_t end) {
    size_t i = start;
#if defined(__SSE2__)
    const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&'), lf = _mm_set1_epi8('\n'),
                  tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r'), space = _mm_set1_epi8(' ');
    while (i + 16 <= end) {
        __m128i here = _mm_loadu_si128((const __m128i *)(bytes + i));
        __m128i before = _mm_loadu_si128((const __m128i *)(bytes + i - 1));
        __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(here, lt), _mm_cmpeq_epi8(here, amp)),
                                    _mm_or_si128(_mm_cmpeq_epi8(here, lf), _mm_cmpeq_epi8(here, tab)));
        stop = _mm_or_si128(stop, _mm_or_si128(_mm_cmpeq_epi8(here, cr),
                                               _mm_and_si128(_mm_cmpeq_epi8(here, space), _mm_cmpeq_epi8(before, space))));
        int mask = _mm_movemask_epi8(stop);
        if (mask != 0) return i + (size_t)__builtin_ctz((unsigned)mask) - start;
        i += 16;
    }
#endif
    return i - start + orbis_text_run_length_bytes(bytes, i, end);
}
