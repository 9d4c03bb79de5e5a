/* The floor: libcmark alone over a site's Markdown, as Orbis calls it (smart punctuation, raw HTML kept),
 * one thread. usage: cmark_floor CONTENT_DIR  — prints "files bytes_in bytes_out cpu_seconds".
 * Front matter (between the first two `---` lines) is skipped; files are read before the clock starts. */
#define _XOPEN_SOURCE 700
#include <cmark.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char **texts; static size_t *lengths; static size_t count, capacity;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)st; (void)ftw;
    size_t n = strlen(path);
    if (type != FTW_F || n < 3 || strcmp(path + n - 3, ".md") != 0) return 0;
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    fseek(f, 0, SEEK_END); long size = ftell(f); fseek(f, 0, SEEK_SET);
    char *text = malloc(size + 1);
    size_t got = fread(text, 1, size, f); fclose(f); text[got] = 0;
    char *body = text;
    if (strncmp(text, "---\n", 4) == 0) {
        char *end = strstr(text + 4, "\n---\n");
        if (end) body = end + 5;
    }
    if (count == capacity) {
        capacity = capacity ? capacity * 2 : 1024;
        texts = realloc(texts, capacity * sizeof *texts); lengths = realloc(lengths, capacity * sizeof *lengths);
    }
    texts[count] = body; lengths[count] = strlen(body); count++;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: cmark_floor CONTENT_DIR\n"); return 2; }
    nftw(argv[1], visit, 32, FTW_PHYS);
    struct timespec start, end;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
    size_t in = 0, out = 0;
    for (size_t i = 0; i < count; i++) {
        char *html = cmark_markdown_to_html(texts[i], lengths[i], CMARK_OPT_SMART | CMARK_OPT_UNSAFE);
        in += lengths[i]; out += strlen(html);
        free(html);
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &end);
    printf("%zu %zu %zu %.3f\n", count, in, out, (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}
