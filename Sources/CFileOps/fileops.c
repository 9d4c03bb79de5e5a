#define _GNU_SOURCE
#include "orbis_fileops.h"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static int rename_with_flags(const char *source, const char *destination, unsigned int flags) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, source, AT_FDCWD, destination, flags);
#else
    (void)source; (void)destination; (void)flags;
    errno = ENOSYS;
    return -1;
#endif
}

int orbis_rename_exchange(const char *first, const char *second) {
    return rename_with_flags(first, second, RENAME_EXCHANGE);
}

int orbis_rename_noreplace(const char *source, const char *destination) {
    return rename_with_flags(source, destination, RENAME_NOREPLACE);
}

int orbis_sync_path(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int result = fsync(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return result;
}
