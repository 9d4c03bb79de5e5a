#ifndef ORBIS_FILEOPS_H
#define ORBIS_FILEOPS_H

/// Swaps two existing paths atomically (Linux renameat2 RENAME_EXCHANGE). 0, or -1 with errno set
/// (EINVAL or ENOSYS where the file system or kernel cannot do it).
int orbis_rename_exchange(const char *first, const char *second);

/// Renames `source` to `destination` only if nothing is there (renameat2 RENAME_NOREPLACE). 0, or -1 with
/// errno set (EEXIST when something is there; EINVAL or ENOSYS where the file system cannot do it).
int orbis_rename_noreplace(const char *source, const char *destination);

/// fsync of a file or folder by path (a folder, so that a rename in it survives a power cut). 0 or -1.
int orbis_sync_path(const char *path);

#endif
