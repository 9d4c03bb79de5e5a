import Foundation
import Glibc
import Testing

/// The output belongs to Orbis, or it is not touched: every case through the real binary, checking that
/// each file a user had is still there, byte for byte.
@Suite struct SafetyTests {
    /// A fixture site in a temporary folder, with a file of the user's beside it.
    struct Sandbox {
        let folder: URL
        let site: URL

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-safety-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            site = folder.appendingPathComponent("site")
            try FileManager.default.copyItem(at: CLI.testsFolder.appendingPathComponent("Fixtures/site"), to: site)
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }

        /// Every file under the sandbox, dotfiles and markers included.
        func everything() throws -> [String: Data] { try CLI.files(in: folder, withMarker: true) }

        func write(_ text: String, to relative: String) throws {
            let url = folder.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: false, encoding: .utf8)
        }

        func read(_ relative: String) throws -> String {
            try String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8)
        }

        func exists(_ relative: String) -> Bool {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(relative).path)
        }

        func build(_ extra: [String] = [], environment: [String: String?] = [:]) throws -> CLI.Result {
            try CLI.run(["build", "--root", site.path] + extra, environment: environment)
        }

        /// What a build of the site as it is now gives in a new folder (the marker left out).
        func freshBuild() throws -> [String: Data] {
            let output = folder.appendingPathComponent("fresh-\(UUID().uuidString)")
            defer { CLI.removeOutput(output.path) }
            let result = try build(["--output", output.path])
            #expect(result.status == 0, "\(result.stderr)")
            return try CLI.files(in: output)
        }
    }

    @Test(arguments: [
        ("site", "is the site's own folder (it holds site.yaml, Content/ and Templates/); building there would replace the site's sources."),
        ("", "contains the site's folder"),
        ("site/Content", "is inside Content/, so every build would publish the last one as part of the site."),
        ("site/Content/out", "is inside Content/, so every build would publish the last one as part of the site."),
        ("site/Templates/assets/out", "is inside Templates/, so every build would publish the last one as part of the site."),
    ])
    func theSiteOwnFoldersAreNeverAnOutputEvenWithForce(output: String, reason: String) throws {
        let box = try Sandbox()
        defer { box.remove() }
        try box.write("mine", to: "notes.txt")
        let before = try box.everything()
        for force in [[], ["--force"]] {
            let path = box.folder.appendingPathComponent(output).path
            let result = try box.build(["--output", path] + force)
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix("error: --output \(path) \(reason)"), "\(result.stderr)")
            #expect(result.stderr.hasSuffix("Choose a folder of its own, like \(box.site.path)/Output.\n"))
            #expect(result.stdout == "", "refused before anything is loaded or built")
            #expect(try box.everything() == before, "every file is still there, byte for byte")
        }
    }

    @Test func theFileSystemRootAndTheHomeFolderAreNeverAnOutput() throws {
        let box = try Sandbox()
        defer { box.remove() }
        let home = box.folder.appendingPathComponent("home")
        try box.write("thesis", to: "home/thesis.txt")
        let before = try box.everything()
        let root = try box.build(["--output", "/", "--force"])
        #expect(root.status == 2)
        #expect(root.stderr.hasPrefix("error: --output / is the root of the file system; Orbis never builds there."))
        let atHome = try box.build(["--output", home.path, "--force"], environment: ["HOME": home.path])
        #expect(atHome.status == 2)
        #expect(atHome.stderr.hasPrefix("error: --output \(home.path) is your home folder; Orbis never builds there."))
        let aboveHome = try box.build(["--output", box.folder.path, "--force"], environment: ["HOME": home.path])
        #expect(aboveHome.status == 2)
        #expect(try box.everything() == before)
    }

    @Test func aFolderOrbisDidNotBuildIsRefusedAndForceKeepsEveryFileTheSiteDoesNotWrite() throws {
        let box = try Sandbox()
        defer { box.remove() }
        try box.write("my thesis", to: "public/thesis.txt")
        try box.write("a photo", to: "public/photos/a.jpg")
        try box.write("old home page", to: "public/index.html")
        let output = box.folder.appendingPathComponent("public").path
        let before = try box.everything()

        let refused = try box.build(["--output", output])
        #expect(refused.status == 2)
        #expect(refused.stderr == "error: \(output) is not empty and Orbis did not build it (it holds index.html, photos/ and thesis.txt); Orbis builds only into a new or empty folder or one it built itself. Choose another --output, or pass --force to build into it: files the site writes replace those of the same name, all others are kept.\n")
        #expect(try box.everything() == before)

        let forced = try box.build(["--output", output, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stderr.contains("warning: --force: replaced 1 file in \(output) that Orbis did not write (index.html)"))
        #expect(forced.stderr.contains("warning: kept 2 files in \(output) that this build did not write (photos/a.jpg and thesis.txt); later builds keep them too"))
        #expect(try box.read("public/thesis.txt") == "my thesis")
        #expect(try box.read("public/photos/a.jpg") == "a photo")
        #expect(try box.read("public/index.html").contains("<html"))

        // From now on the folder is Orbis's: a rebuild needs no --force and still keeps the user's files.
        try box.write("---\ntitle: About us\n---\nNew.\n", to: "site/Content/about.md")
        let again = try box.build(["--output", output])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try box.read("public/thesis.txt") == "my thesis")
        #expect(try box.read("public/photos/a.jpg") == "a photo")
        var expected = try box.freshBuild()
        expected["thesis.txt"] = Data("my thesis".utf8)
        expected["photos/a.jpg"] = Data("a photo".utf8)
        #expect(try CLI.files(in: URL(fileURLWithPath: output)) == expected)
    }

    /// CNAME, .git, a hand-made folder: kept by every build while the manifest exists, and the day it is
    /// missing the build refuses instead of deleting them.
    @Test func filesAUserKeepsInTheOutputSurviveEvenWhenTheManifestIsLost() throws {
        let box = try Sandbox()
        defer { box.remove() }
        #expect(try box.build().status == 0)
        try box.write("example.org\n", to: "site/Output/CNAME")
        try box.write("[core]\n", to: "site/Output/.git/config")
        try box.write("---\ntitle: About us\n---\nNew.\n", to: "site/Content/about.md")
        let rebuilt = try box.build()
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(try box.read("site/Output/CNAME") == "example.org\n")
        #expect(try box.read("site/Output/.git/config") == "[core]\n")

        try FileManager.default.removeItem(atPath: box.site.path + "/Output.manifest.json")
        let before = try box.everything()
        let refused = try box.build()
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("error: \(box.site.path)/Output was built by Orbis, but its manifest Output.manifest.json is missing, so Orbis cannot tell the files it wrote from yours."))
        #expect(try box.everything() == before)

        let forced = try box.build(["--force"])
        #expect(forced.status == 0)
        #expect(try box.read("site/Output/CNAME") == "example.org\n")
        #expect(try box.read("site/Output/.git/config") == "[core]\n")
    }

    /// A manifest is input: a path in it that leads outside the output makes it no manifest of Orbis's,
    /// and nothing outside the output is ever touched, with --force or without.
    @Test func aManifestNamingAFileOutsideTheOutputTouchesNothing() throws {
        let box = try Sandbox()
        defer { box.remove() }
        #expect(try box.build().status == 0)
        try box.write("precious", to: "precious.txt")
        let manifestPath = box.site.path + "/Output.manifest.json"
        var manifest = try String(contentsOfFile: manifestPath, encoding: .utf8)
        manifest = manifest.replacingOccurrences(of: "  {\"path\":\"404.html\"",
            with: "  {\"path\":\"../../precious.txt\",\"size\":8,\"sha256\":\"\(String(repeating: "0", count: 64))\"},\n  {\"path\":\"404.html\"")
        try manifest.write(toFile: manifestPath, atomically: false, encoding: .utf8)
        let before = try box.everything()
        let refused = try box.build()
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("its manifest Output.manifest.json is damaged"))
        #expect(try box.everything() == before)
        #expect(try box.build(["--force"]).status == 0)
        #expect(try box.read("precious.txt") == "precious")
    }

    @Test func anOutputThatIsAFileIsRefused() throws {
        let box = try Sandbox()
        defer { box.remove() }
        try box.write("not a folder", to: "out")
        let result = try box.build(["--output", box.folder.appendingPathComponent("out").path, "--force"])
        #expect(result.status == 2)
        #expect(result.stderr.hasSuffix("/out is a file, not a folder; Orbis will not replace it. Choose a folder.\n"))
        #expect(try box.read("out") == "not a folder")
    }

    /// A file the user put at a path the site now writes, and a generated file edited by hand: the build
    /// refuses to replace either, naming it; --force replaces them.
    @Test func aFileTheSiteWouldReplaceButOrbisDidNotWriteIsRefused() throws {
        let box = try Sandbox()
        defer { box.remove() }
        #expect(try box.build().status == 0)
        try box.write("example.org\n", to: "site/Output/CNAME")
        try box.write("edited by hand", to: "site/Output/about/index.html")
        try box.write("example.net\n", to: "site/Content/CNAME")
        try box.write("---\ntitle: About us\n---\nNew.\n", to: "site/Content/about.md")
        let before = try box.everything()
        let refused = try box.build()
        #expect(refused.status == 2)
        let output = box.site.path + "/Output"
        #expect(refused.stderr == """
            error: \(output)/CNAME was not written by Orbis, and this build would replace it (the site now has a file there); move it away, or pass --force to replace it
            \(output)/about/index.html was changed after Orbis wrote it, and this build would replace it; make the change in the site's sources and delete that file, or pass --force to replace it
            nothing was written

            """)
        #expect(try box.everything() == before)
        let forced = try box.build(["--force"])
        #expect(forced.status == 0)
        #expect(try box.read("site/Output/CNAME") == "example.net\n")
    }

    /// A page deleted from the site disappears from the output, unless its file was edited after Orbis
    /// wrote it: then it is kept, and the build says so.
    @Test func aStalePageEditedByHandIsKeptWithAWarning() throws {
        let box = try Sandbox()
        defer { box.remove() }
        try box.write("---\ntitle: Visit\n---\nA visit.\n", to: "site/Content/news/visit.md")
        #expect(try box.build().status == 0)
        #expect(box.exists("site/Output/news/visit/index.html"))
        try FileManager.default.removeItem(at: box.site.appendingPathComponent("Content/news"))
        try FileManager.default.removeItem(at: box.site.appendingPathComponent("Content/programs/france.md"))
        try box.write("my notes", to: "site/Output/programs/france/index.html")
        let result = try box.build()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: \(box.site.path)/Output/programs/france/index.html is no longer built, but it was changed after Orbis wrote it, so it is kept; delete it if it is not needed"))
        #expect(try box.read("site/Output/programs/france/index.html") == "my notes")
        #expect(!box.exists("site/Output/news/visit/index.html"))
        #expect(!box.exists("site/Output/news"), "the folders it leaves empty go too")
    }

    @Test func anOutputThroughASymbolicLinkIsBuiltWhereTheLinkLeadsAndALinkToTheSiteIsRefused() throws {
        let box = try Sandbox()
        defer { box.remove() }
        let target = box.folder.appendingPathComponent("www")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let link = box.folder.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target.path)
        let built = try box.build(["--output", link.path])
        #expect(built.status == 0, "\(built.stderr)")
        #expect(box.exists("www/index.html"))
        #expect(FileManager.default.fileExists(atPath: box.folder.appendingPathComponent("www.manifest.json").path))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == target.path, "the link is left as it was")

        let toSite = box.folder.appendingPathComponent("to-site")
        try FileManager.default.createSymbolicLink(atPath: toSite.path, withDestinationPath: box.site.path)
        let refused = try box.build(["--output", toSite.path, "--force"])
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("error: --output \(toSite.path) is the site's own folder"))
    }

    /// Two builds started together into one output, twenty times: one waits for the other, both succeed,
    /// and the manifest always describes exactly what is on disk.
    @Test func twoBuildsAtOnceIntoOneOutputNeverPublishABrokenSite() throws {
        let box = try Sandbox()
        defer { box.remove() }
        try box.write("keep me", to: "site/Output-notes.txt")
        for round in 1...20 {
            try box.write("---\ntitle: Round \(round)\n---\nText \(round).\n", to: "site/Content/about.md")
            let processes = try (0..<2).map { _ -> Process in
                let process = Process()
                process.executableURL = CLI.productsFolder.appendingPathComponent("orbis")
                process.arguments = ["build", "--root", box.site.path]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                return process
            }
            for process in processes { process.waitUntilExit() }
            #expect(processes.map(\.terminationStatus) == [0, 0], "round \(round)")
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: box.site.appendingPathComponent("Output.manifest.json"))) as? [String: Any]
            let listed = (manifest?["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
            let onDisk = try CLI.files(in: box.site.appendingPathComponent("Output"))
            #expect(Set(listed) == Set(onDisk.keys), "round \(round): the manifest lists exactly the files on disk")
            #expect(String(decoding: onDisk["about/index.html"] ?? Data(), as: UTF8.self).contains("Round \(round)"))
        }
        #expect(try box.read("site/Output-notes.txt") == "keep me")
        let left = try FileManager.default.contentsOfDirectory(atPath: box.site.path).filter { $0.hasPrefix(".") }
        #expect(left.isEmpty, "no lock, staging or journal left behind: \(left)")
    }

    @Test func aBuildThatCannotGetTheLockInTimeStopsWithAClearMessage() throws {
        let box = try Sandbox()
        defer { box.remove() }
        #expect(try box.build().status == 0)
        let before = try box.everything()
        let lockPath = box.site.path + "/.Output.orbis-lock"
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        try box.write("---\ntitle: About us\n---\nNew.\n", to: "site/Content/about.md")
        let result = try box.build(["--lock-timeout", "1"])
        #expect(result.status == 2)
        #expect(result.stdout.contains("note: waiting for another orbis build to finish writing \(box.site.path)/Output"))
        #expect(result.stderr == "error: another orbis build is still writing \(box.site.path)/Output after 1 s; wait for it to finish (or stop it), then build again\n")
        var after = try box.everything()
        after["site/Content/about.md"] = before["site/Content/about.md"]
        after.removeValue(forKey: "site/.Output.orbis-lock")
        #expect(after == before, "the output is as it was")
    }

    /// A build killed at each step of a commit, then the source changed back: the next build finds the
    /// journal, checks every file, and publishes exactly what a fresh build of the source gives — never
    /// the killed build's pages under the old manifest ("Updated 0 files").
    @Test(arguments: ["staged", "journal", "remove", "move", "moves", "manifest", "done"])
    func aBuildKilledDuringAnInPlaceCommitIsRepairedByTheNext(step: String) throws {
        let box = try Sandbox()
        defer { box.remove() }
        #expect(try box.build().status == 0)
        try box.write("example.org\n", to: "site/Output/CNAME")
        let about = try box.read("site/Content/about.md")
        let ottawa = try box.read("site/Content/programs/ottawa.md")
        try box.write("---\ntitle: About us\n---\nChanged.\n", to: "site/Content/about.md")
        try FileManager.default.removeItem(at: box.site.appendingPathComponent("Content/programs/ottawa.md"))
        try box.write("---\ntitle: News\n---\nNew page.\n", to: "site/Content/news.md")
        // The fixture's menu names ottawa.md: keep a page there so the changed site still builds.
        try box.write("---\ntitle: Ottawa\n---\n## What it teaches\n\nShort.\n", to: "site/Content/programs/ottawa.md")
        try FileManager.default.removeItem(at: box.site.appendingPathComponent("Content/programs/map.svg"))

        let killed = try box.build(environment: ["ORBIS_TEST_KILL_AT": step])
        #expect(killed.status == SIGKILL, "killed at \(step): \(killed.status) \(killed.stderr)")

        // Back to the first source.
        try box.write(about, to: "site/Content/about.md")
        try box.write(ottawa, to: "site/Content/programs/ottawa.md")
        try FileManager.default.removeItem(at: box.site.appendingPathComponent("Content/news.md"))
        try FileManager.default.copyItem(at: CLI.testsFolder.appendingPathComponent("Fixtures/site/Content/programs/map.svg"),
                                         to: box.site.appendingPathComponent("Content/programs/map.svg"))
        let repaired = try box.build()
        #expect(repaired.status == 0, "\(repaired.stderr)")
        var expected = try box.freshBuild()
        expected["CNAME"] = Data("example.org\n".utf8)
        #expect(try CLI.files(in: box.site.appendingPathComponent("Output")) == expected, "after a kill at \(step)")
        let left = try FileManager.default.contentsOfDirectory(atPath: box.site.path).filter { $0.hasPrefix(".") }
        #expect(left.isEmpty, "\(left)")
        #expect(try box.build().stdout.contains("Updated 0 files"), "and the manifest describes the folder")
    }

    /// `orbis check` says when the last build was cut short, and `orbis serve` keeps its private folders to
    /// the same rules (a temporary folder inside Content/ would publish itself).
    @Test func checkNamesAnInterruptedBuildAndServeRefusesAPrivateFolderInsideContent() throws {
        let box = try Sandbox()
        defer { box.remove() }
        #expect(try box.build().status == 0)
        try box.write("---\ntitle: About us\n---\nChanged.\n", to: "site/Content/about.md")
        #expect(try box.build(environment: ["ORBIS_TEST_KILL_AT": "move"]).status == SIGKILL)
        let check = try CLI.run(["check", "--root", box.site.path])
        #expect(check.stderr.contains("warning: the last build into \(box.site.path)/Output was interrupted before it finished; run orbis build to repair it"))

        let inside = box.site.appendingPathComponent("Content/tmp")
        try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
        let serve = try CLI.run(["serve", "--root", box.site.path, "--port", "0"], environment: ["TMPDIR": inside.path])
        #expect(serve.status == 2)
        #expect(serve.stderr.contains("is inside Content/, so every build would publish the last one as part of the site."), "\(serve.stderr)")
    }

    /// `--force` into a foreign folder, killed after it marked the folder as Orbis's: the next build, without
    /// --force, repairs it and still keeps the user's files.
    @Test(arguments: ["marker", "move", "manifest"])
    func aTakeoverKilledHalfwayIsRepairedAndKeepsTheUsersFiles(step: String) throws {
        let box = try Sandbox()
        defer { box.remove() }
        try box.write("my thesis", to: "public/thesis.txt")
        let output = box.folder.appendingPathComponent("public").path
        let killed = try box.build(["--output", output, "--force"], environment: ["ORBIS_TEST_KILL_AT": step])
        #expect(killed.status == SIGKILL)
        let next = try box.build(["--output", output])
        #expect(next.status == 0, "\(next.stderr)")
        var expected = try box.freshBuild()
        expected["thesis.txt"] = Data("my thesis".utf8)
        #expect(try CLI.files(in: URL(fileURLWithPath: output)) == expected)
    }

    /// The same for a first build: killed between any two steps, there is either no output or a complete
    /// one, and the next build finishes the job.
    @Test(arguments: ["staged", "journal", "publish", "manifest", "done"])
    func aFirstBuildKilledAtAnyStepLeavesNoOutputOrACompleteOne(step: String) throws {
        let box = try Sandbox()
        defer { box.remove() }
        let killed = try box.build(environment: ["ORBIS_TEST_KILL_AT": step])
        #expect(killed.status == SIGKILL, "killed at \(step): \(killed.status) \(killed.stderr)")
        let output = box.site.appendingPathComponent("Output")
        if FileManager.default.fileExists(atPath: output.path) {
            #expect(try CLI.files(in: output) == box.freshBuild(), "a complete output or none")
        }
        let next = try box.build()
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try CLI.files(in: output) == box.freshBuild())
        let left = try FileManager.default.contentsOfDirectory(atPath: box.site.path).filter { $0.hasPrefix(".") }
        #expect(left.isEmpty, "\(left)")
    }

    /// A folder the commit cannot write into (immutable, so even root cannot): the files already moved are
    /// put back, and the output is byte-identical, with nothing left beside it.
    @Test(.enabled(if: SafetyTests.canMakeImmutable()))
    func aCommitThatFailsHalfwayPutsEverythingBack() throws {
        let box = try Sandbox()
        defer {
            _ = SafetyTests.shell("chattr -R -i '\(box.folder.path)'")
            box.remove()
        }
        #expect(try box.build().status == 0)
        let before = try box.everything()
        try box.write("---\ntitle: About us\n---\nChanged.\n", to: "site/Content/about.md")
        try box.write("---\ntitle: Ottawa changed\n---\n## What it teaches\n\nChanged.\n", to: "site/Content/programs/ottawa.md")
        #expect(SafetyTests.shell("chattr +i '\(box.site.path)/Output/programs/ottawa'") == 0)
        let result = try box.build()
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: cannot update \(box.site.path)/Output: "))
        #expect(result.stderr.hasSuffix("; the output was left as it was\n"))
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        var after = try box.everything()
        after["site/Content/about.md"] = before["site/Content/about.md"]
        after["site/Content/programs/ottawa.md"] = before["site/Content/programs/ottawa.md"]
        #expect(after == before, "about/index.html was moved first, and put back")
    }

    /// A read-only output and a full disk: a one-line message with the path and the reason, exit 2, and
    /// the output byte-identical with no staging folder left.
    @Test(.enabled(if: SafetyTests.canMount()))
    func aReadOnlyOutputAndAFullDiskLeaveTheOutputAsItWas() throws {
        let box = try Sandbox()
        let mount = box.folder.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        #expect(SafetyTests.shell("mount -t tmpfs -o size=400k tmpfs '\(mount.path)'") == 0)
        defer {
            _ = SafetyTests.shell("umount '\(mount.path)'")
            box.remove()
        }
        let output = mount.appendingPathComponent("Output").path
        #expect(try box.build(["--output", output]).status == 0)
        let before = try CLI.files(in: mount, withMarker: true)

        // Full: a file bigger than the disk.
        try Data(repeating: 7, count: 600_000).write(to: box.site.appendingPathComponent("Content/big.bin"))
        let full = try box.build(["--output", output])
        #expect(full.status == 2)
        #expect(full.stderr == "error: cannot stage big.bin beside \(output): cannot write file: No space left on device; the output was left as it was\n")
        #expect(try CLI.files(in: mount, withMarker: true) == before)

        // Read-only.
        try FileManager.default.removeItem(at: box.site.appendingPathComponent("Content/big.bin"))
        try box.write("---\ntitle: About us\n---\nChanged.\n", to: "site/Content/about.md")
        #expect(SafetyTests.shell("mount -o remount,ro '\(mount.path)'") == 0)
        let readOnly = try box.build(["--output", output])
        #expect(readOnly.status == 2)
        #expect(readOnly.stderr.contains("Read-only file system"), "\(readOnly.stderr)")
        #expect(readOnly.stderr.split(separator: "\n").count == 1)
        #expect(try CLI.files(in: mount, withMarker: true) == before)
    }

    static func shell(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Root with `mount` (tmpfs): the read-only and full-disk cases need a file system of their own.
    static func canMount() -> Bool {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-mount-probe-\(getpid())")
        try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: probe) }
        guard shell("mount -t tmpfs -o size=64k tmpfs '\(probe.path)'") == 0 else { return false }
        _ = shell("umount '\(probe.path)'")
        return true
    }

    /// `chattr +i` works on the temporary folder's file system (ext4, as root).
    static func canMakeImmutable() -> Bool {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-chattr-probe-\(getpid())")
        try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
        defer {
            _ = shell("chattr -i '\(probe.path)'")
            try? FileManager.default.removeItem(at: probe)
        }
        return shell("chattr +i '\(probe.path)'") == 0
    }
}
