#ifndef ORBIS_COLLATION_H
#define ORBIS_COLLATION_H

#include <stdint.h>

/// A collator of ICU (Debian's libicu) for one locale, at its default (tertiary) strength: letters first,
/// then accents, then case. Safe to use from several threads at once (ICU's collators are, for reading).
typedef struct orbis_collator orbis_collator;

/// The collator for a BCP 47 locale (`zh-Hans`, `en`); ICU falls back to the root order for a locale it does
/// not know. NULL only if ICU cannot open any collator.
orbis_collator *orbis_collator_open(const char *locale);

/// Writes the sort key of UTF-8 `text` (`length` bytes) into `key` (`capacity` bytes) and returns the key's
/// length including its final 0, which may be more than `capacity` (then call again with room for it).
/// Keys compare with memcmp as the texts collate. Returns 0 if the text is not valid UTF-8.
int32_t orbis_collator_key(const orbis_collator *collator, const char *text, int32_t length, uint8_t *key, int32_t capacity);

#endif
