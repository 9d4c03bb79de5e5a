import Foundation

/// A value handed over from another thread.
final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// A flag set from another thread.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Runs the built `orbis` binary the way a user does, and captures what they would see.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The process was still running after the timeout and was killed (a hang).
        var timedOut = false
    }

    /// The folder holding the binaries of this build (the test runner sits beside `orbis`).
    static let productsFolder: URL = {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        while folder.path != "/", !FileManager.default.fileExists(atPath: folder.appendingPathComponent("orbis").path) {
            folder.deleteLastPathComponent()
        }
        return folder
    }()

    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// Runs `orbis` with `arguments`; `environment` adds to (or, with a nil value, removes from) the test's own.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String?] = [:],
                    timeout: TimeInterval = 120) throws -> Result {
        let process = Process()
        process.executableURL = productsFolder.appendingPathComponent("orbis")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            var merged = ProcessInfo.processInfo.environment
            for (key, value) in environment { merged[key] = value }
            process.environment = merged
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes are read at once (a child that fills one while we wait on the other would never exit),
        // and a child that outlives the timeout is killed.
        let killed = Flag()
        let watchdog = DispatchWorkItem { [process] in
            if process.isRunning {
                killed.set()
                kill(process.processIdentifier, SIGKILL)
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let errors = Box<Data>(Data())
        let readErrors = DispatchGroup()
        readErrors.enter()
        DispatchQueue.global().async {
            errors.value = err.fileHandleForReading.readDataToEndOfFile()
            readErrors.leave()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        readErrors.wait()
        let stderr = errors.value
        process.waitUntilExit()
        watchdog.cancel()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self), timedOut: killed.isSet)
    }

    /// A fresh copy of a fixture site in a temporary folder.
    /// Removes a temporary output folder and what a build leaves beside it (its manifest and build record).
    static func removeOutput(_ path: String) {
        for leftover in [path, path + ".manifest.json", path + ".build-record"] {
            try? FileManager.default.removeItem(atPath: leftover)
        }
    }

    static func copyFixture(_ name: String = "site") throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-test-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: testsFolder.appendingPathComponent("Fixtures/\(name)"), to: target)
        return target
    }

    /// Every file under `folder`, relative path → contents; Orbis's marker `.orbis-output` (not part of the
    /// site) is left out unless `withMarker`.
    static func files(in folder: URL, withMarker: Bool = false) throws -> [String: Data] {
        var result: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [:] }
        let base = folder.resolvingSymlinksInPath().path + "/"
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = String(url.resolvingSymlinksInPath().path.dropFirst(base.count))
            if path == ".orbis-output" && !withMarker { continue }
            result[path] = try Data(contentsOf: url)
        }
        return result
    }
}
