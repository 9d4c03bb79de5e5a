#include "orbis_collation.h"

#include <stdlib.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>

struct orbis_collator {
    UCollator *icu;
};

orbis_collator *orbis_collator_open(const char *locale) {
    UErrorCode status = U_ZERO_ERROR;
    UCollator *icu = ucol_open(locale, &status);
    if (U_FAILURE(status) || icu == NULL) {
        status = U_ZERO_ERROR;
        icu = ucol_open("", &status);
        if (U_FAILURE(status) || icu == NULL) return NULL;
    }
    orbis_collator *collator = malloc(sizeof *collator);
    if (collator == NULL) { ucol_close(icu); return NULL; }
    collator->icu = icu;
    return collator;
}

int32_t orbis_collator_key(const orbis_collator *collator, const char *text, int32_t length, uint8_t *key, int32_t capacity) {
    UChar small[256];
    UChar *utf16 = small;
    int32_t units = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(utf16, 256, &units, text, length, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
        utf16 = malloc(sizeof(UChar) * (size_t)(units + 1));
        if (utf16 == NULL) return 0;
        status = U_ZERO_ERROR;
        u_strFromUTF8(utf16, units + 1, &units, text, length, &status);
    }
    int32_t needed = 0;
    if (U_SUCCESS(status) || status == U_STRING_NOT_TERMINATED_WARNING) {
        needed = ucol_getSortKey(collator->icu, utf16, units, key, capacity);
    }
    if (utf16 != small) free(utf16);
    return needed;
}
