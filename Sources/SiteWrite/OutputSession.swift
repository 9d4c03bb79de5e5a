import Foundation
import SiteIO
import SiteModel

/// One write of a claimed output folder in progress. Every file goes to the staging folder beside the output
/// as it is added — all of them for a new or empty folder, only those that differ from what the folder holds
/// for an in-place update — and nothing reaches the output before `commit`.
public final class OutputSession: @unchecked Sendable {
    let writer: OutputWriter
    let claim: OutputClaim
    let options: WriteOptions
    let knownDigests: [String: String]
    /// What the output holds now (by the manifest), for an in-place update; nil when it is staged whole.
    let previous: [String: ManifestEntry]?
    /// Folders made in the staging folder, and files staged for an in-place update.
    private let lock = NSLock()
    private var madeFolders: Set<String> = []
    /// For an in-place update: each staged file's name in the staging folder, by its output path. They are
    /// staged flat (`0`, `1`, …): the folders already exist in the output, and making 10,000 folders in the
    /// staging folder only to remove them again is most of a large rebuild's file system time on ext4.
    private var stagedNames: [String: String] = [:]
    /// Files written straight into the output (`WriteOptions.direct`).
    private var writtenDirectly = 0
    private var compressed = 0

    var fileSystem: any FileSystem { writer.fileSystem }
    var output: String { claim.output }
    var staging: String { claim.staging }

    init(writer: OutputWriter, claim: OutputClaim, options: WriteOptions, knownDigests: [String: String],
         previous kept: [String: ManifestEntry]?) throws {
        self.writer = writer
        self.claim = claim
        self.options = options
        self.knownDigests = knownDigests
        switch claim.state {
        case .fresh: previous = nil
        case .owned(let listed): previous = kept ?? listed
        case .takeover: previous = [:]
        }
        do {
            try writer.fileSystem.createDirectory(claim.workFolder)
            try writer.fileSystem.writeFile(joinPath(claim.workFolder, OutputClaim.workMarkerName),
                                            Array("Orbis stages a build here; it is removed when the build ends.\n".utf8))
            try writer.fileSystem.createDirectory(claim.staging)
        } catch {
            try? writer.fileSystem.removeItem(claim.workFolder)
            throw OutputRefusal("cannot stage the build beside \(claim.display): \(OutputWriter.reason(error)); Orbis stages a build next to its output, so that folder must be writable")
        }
    }

    /// Whether the output is updated in place (else staged whole and renamed into place).
    public var isIncremental: Bool { previous != nil }

    /// Digests `file` (and, with `gzip`, its compressed twin) and stages it unless the output already holds
    /// those bytes. Returns its manifest entries. Safe to call from several threads at once.
    public func add(_ file: OutputFile) throws -> [ManifestEntry] {
        var entries = [try stage(file, sha: knownDigests[file.path] ?? file.withBytes { SHA256.hex($0) })]
        if options.gzip, WriteOptions.isCompressible(file.path) {
            let packed = file.withBytes { Gzip.compress($0) }
            entries.append(try stage(OutputFile(path: file.path + ".gz", contents: packed), sha: SHA256.hex(packed)))
            lock.withLock { compressed += 1 }
        }
        return entries
    }

    /// The entries of files the output already holds that the caller knows to be unchanged (pages a rebuild
    /// did not render again), with their `.gz` twins: each must be in the manifest and, unless nobody else
    /// writes the folder, still there with its size. Nil when one is not: the caller must make it again.
    public func keep(_ paths: [String]) -> [ManifestEntry]? {
        guard let previous else { return nil }
        var entries: [ManifestEntry] = []
        entries.reserveCapacity(paths.count * (options.gzip ? 2 : 1))
        for path in paths {
            for name in options.gzip && WriteOptions.isCompressible(path) ? [path, path + ".gz"] : [path] {
                guard let entry = previous[name],
                      !options.verifyUnchanged || fileSystem.stamp(joinPath(output, name))?.size == entry.size else { return nil }
                entries.append(entry)
            }
        }
        return entries
    }

    /// Adds the site's copied files (read from their sources).
    public func add(_ assets: [AssetFile]) throws -> [ManifestEntry] {
        try assets.flatMap { try add(OutputFile(path: $0.outputPath, contents: try fileSystem.readFile($0.sourcePath))) }
    }

    private func stage(_ file: OutputFile, sha: String) throws -> ManifestEntry {
        let entry = ManifestEntry(path: file.path, size: file.count, sha256: sha)
        if let previous, let old = previous[file.path], old.sha256 == sha, old.size == file.count,
           !options.verifyUnchanged || fileSystem.stamp(joinPath(output, file.path))?.size == old.size {
            return entry
        }
        do {
            if previous != nil, options.direct {
                let destination = joinPath(output, file.path)
                do {
                    try file.withBytes { try fileSystem.writeFile(destination, bytes: $0) }
                } catch {
                    try fileSystem.createDirectory(OutputWriter.split(destination).parent)
                    try file.withBytes { try fileSystem.writeFile(destination, bytes: $0) }
                }
                lock.withLock { writtenDirectly += 1 }
                return entry
            }
            if previous != nil {
                let name = lock.withLock { () -> String in
                    let name = String(stagedNames.count)
                    stagedNames[file.path] = name
                    return name
                }
                try file.withBytes { try fileSystem.writeFile(joinPath(staging, name), bytes: $0) }
                return entry
            }
            let destination = joinPath(staging, file.path)
            let folder = OutputWriter.split(destination).parent
            if lock.withLock({ !madeFolders.contains(folder) }) {
                try fileSystem.createDirectory(folder)
                lock.withLock { _ = madeFolders.insert(folder) }
            }
            try file.withBytes { try fileSystem.writeFile(destination, bytes: $0) }
        } catch {
            let reason = (error as? FileSystemError)?.reason ?? "\(error)"
            throw OutputRefusal("cannot stage \(file.path) beside \(claim.display): \(reason); the output was left as it was")
        }
        return entry
    }

    /// Where the staged version of `path` is (an in-place update stages flat).
    private func staged(_ path: String) -> String {
        joinPath(staging, lock.withLock { stagedNames[path] } ?? path)
    }

    /// Publishes what was added: `entries` must be every entry `add` returned (any order). A new or empty
    /// folder gets the staging folder renamed into its place; a folder Orbis built is updated in place (each
    /// changed file exchanged with its old version, files no longer built deleted, the folders they leave
    /// empty removed). Then the manifest is written. Any failure before the manifest is written undoes
    /// what was done, so the output is as it was.
    /// - Parameter pageBytes: the size of the generated files (for the summary).
    public func commit(entries: [ManifestEntry], pageBytes: Int) throws -> WriteSummary {
        let compressed = lock.withLock { self.compressed }
        var summary = try previous.map { options.direct ? try updateDirectly($0, entries) : try update($0, entries) } ?? publishWhole(entries)
        summary.files -= previous == nil ? compressed : 0
        summary.bytes = pageBytes
        summary.compressed = compressed
        summary.entries = entries
        summary.manifestPath = claim.manifestPath
        try? fileSystem.removeItem(claim.workFolder)
        return summary
    }

    /// Drops everything staged; the output stays as it was — but for files already written straight into
    /// it (`WriteOptions.direct`): such an output, which nobody reads, is then removed whole, so that the
    /// next build starts it anew instead of trusting a manifest it no longer matches.
    public func discard() {
        try? fileSystem.removeItem(claim.workFolder)
        if options.direct, lock.withLock({ writtenDirectly > 0 }) { removeWrittenOutput() }
    }

    private func removeWrittenOutput() {
        try? fileSystem.removeItem(claim.manifestPath)
        try? fileSystem.removeItem(output)
    }

    /// A direct update (`WriteOptions.direct`): the changed files are already in place; files no longer
    /// built are deleted, the folders they leave empty removed, and the manifest written. A failure removes
    /// the output whole (see `discard`).
    private func updateDirectly(_ previous: [String: ManifestEntry], _ entries: [ManifestEntry]) throws -> WriteSummary {
        let current = Set(entries.map(\.path))
        let removed = previous.keys.filter { !current.contains($0) }
        do {
            for path in removed { try fileSystem.removeItem(joinPath(output, path)) }
            for folder in OutputWriter.emptiedFolders(removing: removed, keeping: current) {
                let path = joinPath(output, folder)
                if (try? fileSystem.contentsOfDirectory(path).isEmpty) == true { try fileSystem.removeEmptyDirectory(path) }
            }
            if claim.writesMarker {
                try writer.replaceFile(claim.markerPath, with: OutputClaim.markerText(claim.id), durably: false)
            }
            try writer.replaceFile(claim.manifestPath, with: manifestText(entries), durably: false)
        } catch {
            removeWrittenOutput()
            throw OutputRefusal("cannot update \(claim.display): \(OutputWriter.reason(error)); it was removed, and the next build writes it anew")
        }
        let written = lock.withLock { writtenDirectly }
        return WriteSummary(files: written, bytes: 0, manifestPath: "", unchanged: entries.count - written, incremental: true)
    }

    /// Stops the process at `step` of the commit when a test asks (`WriteOptions.killAt`).
    private func reached(_ step: String) {
        if options.killAt == step { kill(getpid(), SIGKILL) }
    }

    private var manifestText: (([ManifestEntry]) -> String) {
        { [id = claim.id] in OutputWriter.manifest($0, id: id) }
    }

    /// A new or empty output: the marker goes into the staging folder, which is then renamed into place.
    private func publishWhole(_ entries: [ManifestEntry]) throws -> WriteSummary {
        try fileSystem.writeFile(joinPath(staging, OutputClaim.markerName), Array(OutputClaim.markerText(claim.id).utf8))
        reached("staged")
        try writer.replaceFile(claim.journalPath, with: OutputWriter.journal(id: claim.id, paths: entries.map(\.path).sorted()), durably: options.durable)
        reached("journal")
        do {
            try fileSystem.moveItem(from: staging, to: output)
        } catch {
            try? fileSystem.removeFile(claim.journalPath)
            if fileSystem.directoryExists(output), (try? fileSystem.contentsOfDirectory(output).isEmpty) == false {
                throw OutputRefusal("\(claim.display) is no longer empty (something was put there during the build); nothing was written. Build again.")
            }
            throw OutputRefusal("cannot publish the build at \(claim.display): \(OutputWriter.reason(error)); nothing was written")
        }
        reached("publish")
        do {
            try writer.replaceFile(claim.manifestPath, with: manifestText(entries), durably: options.durable)
        } catch {
            // Take the published folder back, so that the output is as it was.
            if (try? fileSystem.moveItem(from: output, to: staging)) != nil {
                if case .fresh = claim.state, claim.outputExisted { try? fileSystem.createDirectory(output) }
                try? fileSystem.removeFile(claim.journalPath)
            }
            throw OutputRefusal("cannot write the manifest beside \(claim.display): \(OutputWriter.reason(error)); nothing was published")
        }
        reached("manifest")
        try fileSystem.removeFile(claim.journalPath)
        reached("done")
        return WriteSummary(files: entries.count, bytes: 0, manifestPath: "")
    }

    /// What an in-place commit has done so far, to undo it on a failure.
    private enum Done {
        case journal, marker
        case createdFolder(String)
        /// Moved aside (to `retired/<name>`).
        case retired(String, name: String)
        case exchanged(String)
        case placed(String)
    }

    private func update(_ previous: [String: ManifestEntry], _ entries: [ManifestEntry]) throws -> WriteSummary {
        let moved = lock.withLock { stagedNames.keys.sorted() }
        let current = Set(entries.map(\.path))
        let plan = try plan(moved: moved, previous: previous, current: current)
        reached("staged")
        var done: [Done] = []
        do {
            try writer.replaceFile(claim.journalPath, with: OutputWriter.journal(id: claim.id, paths: moved), durably: options.durable)
            done.append(.journal)
            reached("journal")
            if claim.writesMarker {
                try writer.replaceFile(claim.markerPath, with: OutputClaim.markerText(claim.id), durably: false)
                done.append(.marker)
                reached("marker")
            }
            if !plan.retire.isEmpty { try fileSystem.createDirectory(claim.retired) }
            for (index, path) in plan.retire.enumerated() {
                try fileSystem.moveItem(from: joinPath(output, path), to: joinPath(claim.retired, String(index)))
                done.append(.retired(path, name: String(index)))
                reached("remove")
            }
            var folders: Set<String> = plan.existingFolders
            for path in moved {
                for folder in OutputWriter.folders(of: path).reversed() where !folders.contains(folder) {
                    try fileSystem.createDirectory(joinPath(output, folder))
                    folders.insert(folder)
                    done.append(.createdFolder(folder))
                }
                if plan.replace.contains(path) {
                    try fileSystem.exchange(staged(path), joinPath(output, path))
                    done.append(.exchanged(path))
                } else {
                    try fileSystem.moveItemNoReplace(from: staged(path), to: joinPath(output, path))
                    done.append(.placed(path))
                }
                reached("move")
            }
            reached("moves")
            try writer.replaceFile(claim.manifestPath, with: manifestText(entries), durably: options.durable)
            reached("manifest")
        } catch {
            undo(done)
            throw OutputRefusal("cannot update \(claim.display): \(OutputWriter.reason(error)); the output was left as it was")
        }
        try fileSystem.removeFile(claim.journalPath)
        reached("done")
        var notes = plan.notes
        // The folders that removed files leave empty, deepest first (never one a current file needs).
        for folder in OutputWriter.emptiedFolders(removing: plan.retire, keeping: current) {
            let path = joinPath(output, folder)
            guard fileSystem.entryType(path) == .directory, (try? fileSystem.contentsOfDirectory(path).isEmpty) == true else { continue }
            do { try fileSystem.removeEmptyDirectory(path) } catch {
                notes.append(.warning(at: nil, "could not remove the emptied folder \(claim.shown(folder)): \(OutputWriter.reason(error))"))
            }
        }
        if case .takeover = claim.state {
            let kept = try writer.allFiles(in: output).filter { !current.contains($0) && $0 != OutputClaim.markerName }
            if !kept.isEmpty {
                notes.append(.warning(at: nil, "kept \(kept.count) file\(kept.count == 1 ? "" : "s") in \(claim.display) that this build did not write (\(Self.some(kept))); later builds keep them too"))
            }
        }
        return WriteSummary(files: moved.count, bytes: 0, manifestPath: "", unchanged: entries.count - moved.count,
                            incremental: true, notes: notes)
    }

    /// Undoes an in-place commit's steps, newest first. What cannot be undone is left for the journal: the
    /// next build finds it and checks every file.
    private func undo(_ done: [Done]) {
        var complete = true
        for step in done.reversed() {
            do {
                switch step {
                case .journal: if complete { try fileSystem.removeFile(claim.journalPath) }
                case .marker: try fileSystem.removeFile(claim.markerPath)
                case .createdFolder(let folder): try fileSystem.removeEmptyDirectory(joinPath(output, folder))
                case .retired(let path, let name): try fileSystem.moveItem(from: joinPath(claim.retired, name), to: joinPath(output, path))
                case .exchanged(let path): try fileSystem.exchange(staged(path), joinPath(output, path))
                case .placed(let path): try fileSystem.moveItem(from: joinPath(output, path), to: staged(path))
                }
            } catch {
                complete = false
            }
        }
    }

    /// What an in-place commit will do, decided before it changes anything: which files replace an old
    /// version, which old files go, and what is refused — a file Orbis did not write where the site now
    /// writes one, a file changed by hand since Orbis wrote it, a link on the way.
    private struct Plan {
        var replace: Set<String> = []
        var retire: [String] = []
        var existingFolders: Set<String> = []
        var notes: [Diagnostic] = []
    }

    private func plan(moved: [String], previous: [String: ManifestEntry], current: Set<String>) throws -> Plan {
        var plan = Plan()
        let force = claim.policy.force
        let verify = !claim.policy.isPrivate
        var refusals: [String] = []
        var removals = Set(previous.keys.filter { !current.contains($0) })
        var foreignReplaced: [String] = []
        // Old versions to compare with the manifest before they are replaced or deleted.
        var toVerify: [String] = []

        var folderTypes: [String: EntryType?] = [:]
        func type(ofFolder folder: String) -> EntryType? {
            if let known = folderTypes[folder] { return known }
            let found = fileSystem.entryType(joinPath(output, folder))
            folderTypes[folder] = found
            return found
        }
        for path in moved {
            var blocked = false
            for folder in OutputWriter.folders(of: path).reversed() {
                switch type(ofFolder: folder) {
                case .directory?: plan.existingFolders.insert(folder)
                case nil: break
                case .file? where removals.contains(folder) || (force && previous[folder] == nil):
                    if previous[folder] == nil { foreignReplaced.append(folder) }
                    removals.insert(folder)
                    folderTypes[folder] = .some(nil)
                case .file?, .other?:
                    refusals.append("\(claim.shown(folder)) is a file Orbis did not write, and this build needs a folder there for \(path); move it away")
                    blocked = true
                case .symlink?:
                    refusals.append("\(claim.shown(folder)) is a symbolic link; Orbis does not write through links in its output. Replace it with a folder or move it away")
                    blocked = true
                }
                if blocked { break }
            }
            if blocked { continue }
            switch fileSystem.entryType(joinPath(output, path)) {
            case nil:
                break
            case .file? where previous[path] != nil:
                plan.replace.insert(path)
                if verify { toVerify.append(path) }
            case .file? where force:
                plan.replace.insert(path)
                foreignReplaced.append(path)
            case .file?:
                refusals.append("\(claim.shown(path)) was not written by Orbis, and this build would replace it (the site now has a file there); move it away, or pass --force to replace it")
            case .directory?:
                refusals.append("\(claim.shown(path)) is a folder, and this build writes a file there; move the folder away")
            case .symlink?, .other?:
                refusals.append("\(claim.shown(path)) is a symbolic link or special file, and this build writes a file there; move it away")
            }
        }
        var folders = FolderCheck(fileSystem: fileSystem, root: output)
        for path in removals.sorted() {
            guard folders.isRealFolderPath(OutputWriter.folders(of: path)) else { continue }
            switch fileSystem.entryType(joinPath(output, path)) {
            case .file?:
                if verify && previous[path] != nil { toVerify.append(path) } else { plan.retire.append(path) }
            case nil:
                break
            default:
                plan.notes.append(.warning(at: nil, "\(claim.shown(path)) is no longer built, but it is no longer the file Orbis wrote either, so it is kept"))
            }
        }
        let changed = Set(parallelMap(toVerify, threads: writer.threads) { path -> String? in
            guard let entry = previous[path], let bytes = try? fileSystem.readFile(joinPath(output, path)),
                  bytes.count == entry.size, bytes.withUnsafeBytes({ SHA256.hex($0) }) == entry.sha256 else { return path }
            return nil
        }.compactMap { $0 })
        for path in toVerify {
            if removals.contains(path) {
                if changed.contains(path) {
                    plan.notes.append(.warning(at: nil, "\(claim.shown(path)) is no longer built, but it was changed after Orbis wrote it, so it is kept; delete it if it is not needed"))
                } else {
                    plan.retire.append(path)
                }
            } else if changed.contains(path) && !force {
                refusals.append("\(claim.shown(path)) was changed after Orbis wrote it, and this build would replace it; make the change in the site's sources and delete that file, or pass --force to replace it")
            }
        }
        plan.retire.sort()
        if !refusals.isEmpty {
            let more = refusals.count > 5 ? "\n(and \(refusals.count - 5) more like these)" : ""
            throw OutputRefusal(refusals.prefix(5).joined(separator: "\n") + more + "\nnothing was written")
        }
        if !foreignReplaced.isEmpty {
            plan.notes.append(.warning(at: nil, "--force: replaced \(foreignReplaced.count) file\(foreignReplaced.count == 1 ? "" : "s") in \(claim.display) that Orbis did not write (\(Self.some(foreignReplaced.sorted())))"))
        }
        return plan
    }

    /// The first few of `paths`, for a message.
    static func some(_ paths: [String]) -> String {
        paths.count <= 3 ? OutputWriter.list(paths) : paths.prefix(3).joined(separator: ", ") + " and \(paths.count - 3) more"
    }
}
