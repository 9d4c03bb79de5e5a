import Foundation
import SiteIO
import SiteModel

/// What a build may do to its output folder; decided before anything is written.
public struct OutputPolicy: Sendable {
    /// Build into a non-empty folder Orbis cannot prove it wrote: files the site writes replace those of the
    /// same name, every other file is kept.
    public var force = false
    /// Folders the output may not be, be inside of, or contain: the site's root, `Content/`, `Templates/`.
    public var siteRoot: String?
    public var sourceFolders: [String] = []
    /// Files the output may not contain (`site.yaml`, which may be a link to elsewhere).
    public var sourceFiles: [String] = []
    /// The user's home folder (the output may be neither it nor a folder that contains it).
    public var home: String?
    /// How long a build waits for another build of the same output before giving up.
    public var lockTimeout: Duration = .seconds(120)
    /// Told once when the build has to wait for another one (with the message to show).
    public var onWait: (@Sendable (String) -> Void)?
    /// The output is private to this process (`orbis serve`): files it lists need not be checked by hash
    /// before they are replaced or deleted.
    public var isPrivate = false
    /// For a private output: the id and manifest this process last wrote into it, which the claim takes
    /// instead of reading the manifest back when the folder's marker names that id.
    public var written: (id: String, entries: [String: ManifestEntry])?

    public init(force: Bool = false, siteRoot: String? = nil, sourceFolders: [String] = [], sourceFiles: [String] = [],
                home: String? = nil) {
        self.force = force
        self.siteRoot = siteRoot
        self.sourceFolders = sourceFolders
        self.sourceFiles = sourceFiles
        self.home = home
    }
}

/// Orbis will not write where it was asked to, or cannot start to: the message says why and what to do
/// instead. The CLI prints it and exits with 2; nothing was changed.
public struct OutputRefusal: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A build's hold on its output folder: the folder's canonical path, the lock that keeps other builds out
/// while this one runs, and what the folder holds (which decides how it may be written). Made by
/// `OutputWriter.claim`, released when the build ends.
///
/// Beside the output folder `<parent>/<name>` Orbis keeps `<name>.manifest.json` (every file it published,
/// with its size and SHA-256), and, only while a build runs, `.<name>.orbis-lock`, `.<name>.orbis-work/`
/// (the staging folder) and `.<name>.orbis-journal` (written before a commit changes the output and removed
/// once the manifest describes it). Inside it, `.orbis-output` holds the folder's id, which its manifest
/// repeats: a folder is Orbis's when the two agree.
public final class OutputClaim: Sendable {
    enum State: Sendable {
        /// Missing or empty: the site is staged whole and renamed into place.
        case fresh
        /// Orbis's own (marker and manifest agree): updated in place; `previous` is what it holds.
        case owned(previous: [String: ManifestEntry])
        /// Not provably Orbis's, but `--force`: updated in place; files it does not write are kept.
        case takeover
    }

    /// The output folder, absolute, with links resolved.
    public let output: String
    /// The output as the user named it, for messages.
    public let display: String
    let state: State
    /// The folder's id (`.orbis-output`, and the manifest's `output`).
    package let id: String
    /// The marker must be written by the commit (a folder adopted or taken over).
    let writesMarker: Bool
    /// The output folder existed when it was claimed (empty, for a fresh claim).
    let outputExisted: Bool
    /// What the claim found worth saying (a repaired interrupted build, an adopted folder).
    public let notes: [Diagnostic]
    /// The SHA-256 of the manifest a folder Orbis owns was claimed with, when the folder holds exactly what
    /// it lists (not after an interrupted build): what a build record written with it is for.
    package let manifestDigest: String?
    let policy: OutputPolicy
    private let lock: any FileLock

    init(output: String, display: String, state: State, id: String, writesMarker: Bool, outputExisted: Bool, notes: [Diagnostic],
         manifestDigest: String? = nil, policy: OutputPolicy, lock: any FileLock) {
        self.manifestDigest = manifestDigest
        self.output = output
        self.display = display
        self.state = state
        self.id = id
        self.writesMarker = writesMarker
        self.outputExisted = outputExisted
        self.notes = notes
        self.policy = policy
        self.lock = lock
    }

    /// Lets other builds of this output go ahead.
    public func release() { lock.release() }

    /// What an owned folder holds, by its manifest (nil for a new or empty folder, or one taken over).
    package var previous: [String: ManifestEntry]? {
        if case .owned(let previous) = state { return previous }
        return nil
    }

    var parent: String { OutputWriter.split(output).parent }
    var name: String { OutputWriter.split(output).name }
    var manifestPath: String { joinPath(parent, "\(name).manifest.json") }
    var journalPath: String { joinPath(parent, ".\(name).orbis-journal") }
    var workFolder: String { joinPath(parent, ".\(name).orbis-work") }
    var staging: String { joinPath(workFolder, "new") }
    /// Where the old versions of replaced and deleted files wait until the commit is complete.
    var retired: String { joinPath(workFolder, "old") }
    var markerPath: String { joinPath(output, OutputClaim.markerName) }

    /// `user path/relative`, for messages.
    func shown(_ relative: String) -> String { joinPath(display, relative) }

    static let markerName = ".orbis-output"
    static let workMarkerName = ".orbis-work"

    static func markerText(_ id: String) -> String {
        "orbis-output \(id)\nThis folder is written by Orbis (orbis build): builds replace and delete only the files its manifest lists and keep every other file.\n"
    }

    /// The id in a marker's text, if it is one.
    static func id(inMarker text: String) -> String? {
        guard text.hasPrefix("orbis-output "), let line = text.split(separator: "\n").first else { return nil }
        let id = line.dropFirst("orbis-output ".count)
        return id.count == 16 && id.allSatisfy(\.isHexDigit) ? String(id) : nil
    }

    /// A folder's id: derived from where it was first built, so that builds of the same input into the same
    /// folder are byte-identical, marker and manifest included.
    static func newID(for output: String) -> String {
        String(SHA256.hex(Array("orbis-output:\(output)".utf8)).prefix(16))
    }
}

extension OutputWriter {
    /// Takes `output` for a build: refuses folders a build must never write (the site's own folders, `/`,
    /// the home folder), waits for any other build of the same output, and looks at what the folder holds.
    /// Throws `OutputRefusal` when the folder is not Orbis's to write (nothing is changed).
    public func claim(_ output: String, policy: OutputPolicy) throws -> OutputClaim {
        let canonical = fileSystem.canonicalPath(output)
        try Self.refuseProtected(canonical, display: output, policy: policy, fileSystem: fileSystem)
        let (parent, name) = Self.split(canonical)
        if fileSystem.entryType(parent) == nil {
            do { try fileSystem.createDirectory(parent) } catch {
                throw OutputRefusal("cannot create the folder \(Self.split(output).parent) for the output: \(Self.reason(error))")
            }
        }
        let lock = try acquireLock(joinPath(parent, ".\(name).orbis-lock"), exclusive: true, display: output, policy: policy)
        do {
            return try inspect(canonical, display: output, policy: policy, lock: lock)
        } catch {
            lock.release()
            throw error
        }
    }

    /// A shared hold on `output` for reading it (`orbis check`): waits while a build writes it. Notes an
    /// interrupted build.
    public func claimForReading(_ output: String, policy: OutputPolicy) throws -> (lock: (any FileLock)?, notes: [Diagnostic]) {
        let canonical = fileSystem.canonicalPath(output)
        let (parent, name) = Self.split(canonical)
        guard fileSystem.directoryExists(parent) else { return (nil, []) }
        let lock = try acquireLock(joinPath(parent, ".\(name).orbis-lock"), exclusive: false, display: output, policy: policy)
        var notes: [Diagnostic] = []
        if fileSystem.entryType(joinPath(parent, ".\(name).orbis-journal")) != nil {
            notes.append(.warning(at: nil, "the last build into \(output) was interrupted before it finished; run orbis build to repair it"))
        }
        return (lock, notes)
    }

    private func acquireLock(_ path: String, exclusive: Bool, display: String, policy: OutputPolicy) throws -> any FileLock {
        let start = ContinuousClock.now
        var told = false
        while true {
            let taken: (any FileLock)?
            do { taken = try fileSystem.tryLock(path, exclusive: exclusive) } catch {
                throw OutputRefusal("cannot lock the output \(display): \(Self.reason(error)); Orbis keeps its lock file beside the output, so that folder must be writable")
            }
            if let taken { return taken }
            let holder = (try? fileSystem.readText(path))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let who = holder.isEmpty ? "another orbis build" : "another orbis build (process \(holder))"
            if ContinuousClock.now - start >= policy.lockTimeout {
                throw OutputRefusal("\(who) is still writing \(display) after \(policy.lockTimeout.components.seconds) s; wait for it to finish (or stop it), then build again")
            }
            if !told {
                policy.onWait?("waiting for \(who) to finish writing \(display)")
                told = true
            }
            usleep(20_000)
        }
    }

    /// The folders no build may write, whatever `--force` says.
    public static func refuseProtected(_ output: String, display: String, policy: OutputPolicy, fileSystem: any FileSystem) throws {
        func canonical(_ path: String) -> String { fileSystem.canonicalPath(path) }
        func isInside(_ path: String, _ folder: String) -> Bool { folder == "/" || path.hasPrefix(folder + "/") }
        let advice = policy.siteRoot.map { " Choose a folder of its own, like \(joinPath($0, "Output"))." } ?? " Choose a folder of its own."
        if output == "/" {
            throw OutputRefusal("--output \(display) is the root of the file system; Orbis never builds there.\(advice)")
        }
        if let root = policy.siteRoot.map(canonical) {
            if output == root {
                throw OutputRefusal("--output \(display) is the site's own folder (it holds site.yaml, Content/ and Templates/); building there would replace the site's sources.\(advice)")
            }
            if isInside(root, output) {
                throw OutputRefusal("--output \(display) contains the site's folder \(policy.siteRoot!); building there would replace the site's sources.\(advice)")
            }
        }
        for folder in policy.sourceFolders {
            let real = canonical(folder)
            let shown = folder.split(separator: "/").last.map { "\($0)/" } ?? folder
            if output == real || isInside(output, real) {
                throw OutputRefusal("--output \(display) is inside \(shown), so every build would publish the last one as part of the site.\(advice)")
            }
            if isInside(real, output) {
                throw OutputRefusal("--output \(display) contains the site's \(shown) folder; building there would replace the site's sources.\(advice)")
            }
        }
        for file in policy.sourceFiles where fileSystem.entryType(file) != nil {
            if isInside(canonical(file), output) {
                throw OutputRefusal("--output \(display) contains the site's \(file.split(separator: "/").last ?? ""); building there would replace the site's sources.\(advice)")
            }
        }
        if let home = policy.home.map(canonical), home != "/" {
            if output == home {
                throw OutputRefusal("--output \(display) is your home folder; Orbis never builds there.\(advice)")
            }
            if isInside(home, output) {
                throw OutputRefusal("--output \(display) contains your home folder; Orbis never builds there.\(advice)")
            }
        }
    }

    /// What `output` holds and so how this build may write it (the lock is held).
    private func inspect(_ output: String, display: String, policy: OutputPolicy, lock: any FileLock) throws -> OutputClaim {
        let (parent, name) = Self.split(output)
        let journalPath = joinPath(parent, ".\(name).orbis-journal")
        func claim(_ state: OutputClaim.State, id: String, writesMarker: Bool, notes: [Diagnostic] = [],
                   manifestDigest: String? = nil) throws -> OutputClaim {
            let made = OutputClaim(output: output, display: display, state: state, id: id, writesMarker: writesMarker,
                                   outputExisted: fileSystem.entryType(output) != nil, notes: notes, manifestDigest: manifestDigest,
                                   policy: policy, lock: lock)
            try clearWorkFolder(of: made)
            return made
        }
        let force = " Choose another --output, or pass --force to build into it: files the site writes replace those of the same name, all others are kept."
        switch fileSystem.entryType(output) {
        case nil:
            // A journal without an output: the interrupted build never published anything.
            if fileSystem.entryType(journalPath) != nil { try fileSystem.removeFile(journalPath) }
            return try claim(.fresh, id: OutputClaim.newID(for: output), writesMarker: true)
        case .directory?:
            break
        case .file?, .other?:
            throw OutputRefusal("--output \(display) is a file, not a folder; Orbis will not replace it. Choose a folder.")
        case .symlink?:
            throw OutputRefusal("--output \(display) is a symbolic link that leads nowhere; remove it or point it at a folder.")
        }
        let markerID = readMarker(output)
        if policy.isPrivate, let written = policy.written, markerID == written.id, fileSystem.entryType(journalPath) == nil {
            return try claim(.owned(previous: written.entries), id: written.id, writesMarker: false)
        }
        let manifestText = fileSystem.fileExists(Self.manifestPath(for: output)) ? try? fileSystem.readText(Self.manifestPath(for: output)) : nil
        let manifest = manifestText.flatMap(Self.parseManifest)

        if let markerID, fileSystem.entryType(journalPath) != nil {
            let journal = (try? fileSystem.readText(journalPath)).flatMap(Self.parseJournal)
            if let journal, journal.id == markerID {
                // A commit was cut short: the output holds some of the old build and some of the new one.
                // Every file either may have placed is read again; the next commit starts from what is there.
                let listed = manifest?.id == markerID ? Set(manifest!.entries.keys) : []
                let previous = try verifiedEntries(of: listed.union(journal.paths), in: output)
                try fileSystem.removeFile(journalPath)
                return try claim(.owned(previous: previous), id: markerID, writesMarker: false, notes: [.warning(at: nil,
                    "the last build into \(display) was interrupted before it finished; its \(previous.count) files were checked one by one and this build repairs them")])
            }
            // Written before a commit that never changed this folder.
            try fileSystem.removeFile(journalPath)
        }
        let entries = try fileSystem.contentsOfDirectory(output)
        if entries.isEmpty {
            return try claim(.fresh, id: OutputClaim.newID(for: output), writesMarker: true)
        }
        if let markerID {
            if let manifest, manifest.id == markerID {
                return try claim(.owned(previous: manifest.entries), id: markerID, writesMarker: false,
                                 manifestDigest: manifestText.map { SHA256.hex(Array($0.utf8)) })
            }
            let why = manifestText == nil ? "its manifest \(Self.split(display).name).manifest.json is missing"
                : manifest == nil ? "its manifest \(Self.split(display).name).manifest.json is damaged"
                : "its manifest \(Self.split(display).name).manifest.json belongs to another folder"
            if policy.force { return try claim(.takeover, id: markerID, writesMarker: false) }
            throw OutputRefusal("\(display) was built by Orbis, but \(why), so Orbis cannot tell the files it wrote from yours.\(force)")
        }
        if let manifest, manifest.id == nil, try folderMatches(output, manifest.entries) {
            // Built by an Orbis from before folders had markers, and holding exactly what its manifest lists.
            return try claim(.owned(previous: manifest.entries), id: OutputClaim.newID(for: output), writesMarker: true)
        }
        if policy.force { return try claim(.takeover, id: OutputClaim.newID(for: output), writesMarker: true) }
        let names = entries.sorted().map { fileSystem.entryType(joinPath(output, $0)) == .directory ? $0 + "/" : $0 }
        let shown = names.count <= 4 ? Self.list(names) : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
        throw OutputRefusal("\(display) is not empty and Orbis did not build it (it holds \(shown)); Orbis builds only into a new or empty folder or one it built itself.\(force)")
    }

    /// The staging folder a killed build left: removed when it is Orbis's, else a refusal.
    private func clearWorkFolder(of claim: OutputClaim) throws {
        let work = claim.workFolder
        guard let type = fileSystem.entryType(work) else { return }
        guard type == .directory, fileSystem.fileExists(joinPath(work, OutputClaim.workMarkerName)) else {
            throw OutputRefusal("\(Self.split(claim.display).parent)/.\(claim.name).orbis-work is in the way: Orbis stages builds there, but this one is not Orbis's. Move it away, then build again.")
        }
        try fileSystem.removeItem(work)
    }

    func readMarker(_ output: String) -> String? {
        let path = joinPath(output, OutputClaim.markerName)
        guard fileSystem.entryType(path) == .file, let text = try? fileSystem.readText(path) else { return nil }
        return OutputClaim.id(inMarker: text)
    }

    /// Whether `folder` holds exactly the files `entries` lists, with their sizes and SHA-256.
    private func folderMatches(_ folder: String, _ entries: [String: ManifestEntry]) throws -> Bool {
        let files = try allFiles(in: folder)
        guard files.count == entries.count, files.allSatisfy({ entries[$0] != nil }) else { return false }
        let matches = parallelMap(files, threads: threads) { path -> Bool in
            guard let bytes = try? fileSystem.readFile(joinPath(folder, path)), let entry = entries[path] else { return false }
            return bytes.count == entry.size && bytes.withUnsafeBytes { SHA256.hex($0) } == entry.sha256
        }
        return !matches.contains(false)
    }

    /// The files (and links, and anything else that is not a folder) under `folder`, dotfiles included,
    /// relative to it; links are not followed.
    func allFiles(in folder: String) throws -> [String] {
        var result: [String] = []
        func walk(_ relative: String) throws {
            let full = relative.isEmpty ? folder : joinPath(folder, relative)
            for name in try fileSystem.contentsOfDirectory(full) {
                let child = relative.isEmpty ? name : relative + "/" + name
                if fileSystem.entryType(joinPath(folder, child)) == .directory { try walk(child) } else { result.append(child) }
            }
        }
        try walk("")
        return result.sorted()
    }

    /// What is really in `output` at each of `paths` (regular files only, never through a link).
    private func verifiedEntries(of paths: Set<String>, in output: String) throws -> [String: ManifestEntry] {
        let list = paths.filter(Self.isSafeRelativePath).sorted()
        var folders = FolderCheck(fileSystem: fileSystem, root: output)
        let reachable = list.filter { folders.isRealFolderPath(Self.folders(of: $0)) }
        let found = parallelMap(reachable, threads: threads) { path -> ManifestEntry? in
            let full = joinPath(output, path)
            guard fileSystem.entryType(full) == .file, let bytes = try? fileSystem.readFile(full) else { return nil }
            return ManifestEntry(path: path, size: bytes.count, sha256: bytes.withUnsafeBytes { SHA256.hex($0) })
        }
        return Dictionary(found.compactMap { $0 }.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// A path a manifest or journal may name: relative, inside the output, plain segments only.
    static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), path.utf8.count < 4096 else { return false }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty || segment == "." || segment == ".." { return false }
        }
        return !path.utf8.contains(where: { $0 == 0 || $0 == 10 || $0 == 13 })
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? FileSystemError { return error.description }
        return "\(error)"
    }

    /// The journal's text: the folder's id, then every path the commit may place in the output.
    static func journal(id: String, paths: [String]) -> String {
        var text = "{\"journal\":\"\(id)\",\"paths\": [\n"
        for (index, path) in paths.enumerated() {
            if index > 0 { text += ",\n" }
            text += "  " + JSONText.string(path)
        }
        return text + "\n]}\n"
    }

    static func parseJournal(_ text: String) -> (id: String, paths: Set<String>)? {
        let lines = text.split(separator: "\n")
        guard let first = lines.first, first.hasPrefix("{\"journal\":\""), first.hasSuffix("\",\"paths\": ["),
              lines.last == "]}" else { return nil }
        let id = String(first.dropFirst("{\"journal\":\"".count).dropLast("\",\"paths\": [".count))
        var paths: Set<String> = []
        for line in lines.dropFirst().dropLast() {
            var rest = Substring(line).drop { $0 == " " }
            guard rest.first == "\"", let (path, after) = JSONText.parseString(rest.dropFirst()) else { return nil }
            rest = after
            guard rest.isEmpty || rest == "," else { return nil }
            paths.insert(path)
        }
        return (id, paths)
    }
}

/// Answers "is every folder on this path inside the output a real folder (no link, no file)?", once per folder.
struct FolderCheck {
    let fileSystem: any FileSystem
    let root: String
    private var known: [String: Bool] = [:]

    init(fileSystem: any FileSystem, root: String) {
        self.fileSystem = fileSystem
        self.root = root
    }

    /// `folders` deepest first (as `OutputWriter.folders(of:)` gives them); true when each exists as a folder.
    mutating func isRealFolderPath(_ folders: [String]) -> Bool {
        for folder in folders.reversed() {
            if let answer = known[folder] {
                if !answer { return false }
                continue
            }
            let answer = fileSystem.entryType(joinPath(root, folder)) == .directory
            known[folder] = answer
            if !answer { return false }
        }
        return true
    }
}
