import Foundation
import Testing

/// Builds the fixture site through the real `orbis` binary and checks what a user sees: files, output, exit code.
@Suite struct EndToEndTests {
    @Test func buildsTheFixtureSiteAndMatchesTheGoldenSnapshots() throws {
        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        let result = try CLI.run(["build", "--root", site.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[0].hasPrefix("Loaded 5 pages, 0 data files, 5 templates, 2 files to copy in "))
        #expect(lines[1].hasPrefix("Rendered 6 pages in "))
        #expect(lines[2] == "note: no base_url: sitemap.xml, canonical links and og:url are left out (set base_url in site.yaml or pass --base-url)")
        #expect(lines[3].hasPrefix("Checked 37 links in 6 pages: 0 errors, 0 warnings in "))
        #expect(lines[4].hasPrefix("Wrote 9 files ("))
        #expect(lines[5].hasPrefix("Built 6 pages into \(site.path)/Output in "))
        #expect(lines[5].hasSuffix("; manifest: \(site.path)/Output.manifest.json"))
        #expect(result.stderr == "")

        let output = try CLI.files(in: site.appendingPathComponent("Output"))
        let golden = CLI.testsFolder.appendingPathComponent("Golden/site")
        if ProcessInfo.processInfo.environment["ORBIS_RECORD_GOLDEN"] == "1" {
            try? FileManager.default.removeItem(at: golden)
            for (path, data) in output {
                let url = golden.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
        }
        let expected = try CLI.files(in: golden)
        #expect(output.keys.sorted() == expected.keys.sorted())
        for (path, data) in expected {
            #expect(String(decoding: output[path] ?? Data(), as: UTF8.self) == String(decoding: data, as: UTF8.self),
                    "\(path) differs from Golden/site/\(path); re-record with ORBIS_RECORD_GOLDEN=1 make test and review the diff")
        }
    }

    /// A build after an edit renders what the edit changed, from the record the last build left beside the
    /// output, and publishes what a build from nothing would; `--full` renders everything.
    @Test func aRebuildRendersWhatChangedAndPublishesWhatAFullBuildWould() throws {
        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        #expect(try CLI.run(["build", "--root", site.path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("Output.build-record").path))
        let about = site.appendingPathComponent("Content/about.md")
        try (try String(contentsOf: about, encoding: .utf8) + "\nOne more line.\n").write(to: about, atomically: false, encoding: .utf8)
        let again = try CLI.run(["build", "--root", site.path])
        #expect(again.status == 0, "\(again.stderr)")
        // The page edited, and the 404 page (always made again).
        #expect(again.stdout.contains("Rendered 6 pages (4 unchanged, reused) in "), "\(again.stdout)")
        #expect(again.stdout.contains("Updated 1 file, 8 unchanged ("), "\(again.stdout)")
        let output = try CLI.files(in: site.appendingPathComponent("Output"))
        let fresh = site.appendingPathComponent("fresh")
        let full = try CLI.run(["build", "--root", site.path, "--output", fresh.path, "--full"])
        #expect(full.stdout.contains("Rendered 6 pages in "), "\(full.stdout)")
        #expect(output == (try CLI.files(in: fresh)))
    }

    @Test func defaultsToTheCurrentFolderAndIncludesDraftsWhenAsked() throws {
        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        let result = try CLI.run(["build", "--drafts", "--output", "public"], in: site)
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("public/programs/draft/index.html").path))
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("Output").path))
    }

    @Test func contentErrorsExitWith1PrintEveryErrorAndWriteNothing() throws {
        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        #expect(try CLI.run(["build", "--root", site.path]).status == 0)
        let before = try CLI.files(in: site.appendingPathComponent("Output"))
        try "---\ntitle: About\ndate: 2024-02-30\n---\nSee [x](missing.md).\n"
            .write(to: site.appendingPathComponent("Content/about.md"), atomically: true, encoding: .utf8)
        try "---\ntitle: [oops\n---\n".write(to: site.appendingPathComponent("Content/programs/france.md"), atomically: true, encoding: .utf8)

        let result = try CLI.run(["build", "--root", site.path])
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").map(String.init)
        #expect(errors.first == #"Content/about.md:3:7: error: 'date' must be a real date YYYY-MM-DD, found "2024-02-30""#)
        #expect(errors.dropFirst().first?.hasPrefix("Content/programs/france.md:3:1: error: invalid YAML") == true)
        #expect(errors.last == "error: build failed with 2 errors; nothing was written")
        #expect(try CLI.files(in: site.appendingPathComponent("Output")) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func aBrokenLinkIsReportedAtItsMarkdownPosition() throws {
        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        try "---\ntitle: About\n---\nIntro.\n\nSee [x](programs/missing.md#a).\n"
            .write(to: site.appendingPathComponent("Content/about.md"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["build", "--root", site.path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Content/about.md:6:5: error: link to 'programs/missing.md#a': Content/programs/missing.md does not exist"))
    }

    @Test func aMissingContentFolderExitsWith2() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let result = try CLI.run(["build", "--root", empty.path])
        #expect(result.status == 2)
        #expect(result.stderr == "error: no Content/ folder in \(empty.path); run orbis in a site's folder or pass --root DIR\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty.path).isEmpty, "a failed build leaves no folder behind")

        // A root that does not exist is not created either.
        let missing = empty.appendingPathComponent("not-here")
        let none = try CLI.run(["build", "--root", missing.path])
        #expect(none.status == 2)
        #expect(!FileManager.default.fileExists(atPath: missing.path))
    }

    @Test func badArgumentsExitWith2() throws {
        let unknown = try CLI.run(["build", "--frobnicate"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("Unknown option '--frobnicate'"))
        let badURL = try CLI.run(["build", "--base-url", "example.org"])
        #expect(badURL.status == 2)
        #expect(badURL.stderr.contains(#"--base-url must be an absolute http:// or https:// URL, found "example.org""#))
    }

    @Test func helpAndVersion() throws {
        let version = try CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == "0.1.0\n")
        let help = try CLI.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("build"))
        #expect(help.stdout.contains("USAGE: orbis <subcommand>"))
        let buildHelp = try CLI.run(["build", "--help"])
        #expect(buildHelp.stdout.contains("--base-url <base-url>"))
    }

    @Test func symbolicLinksOutOfTheSiteAreNotPublished() throws {
        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        let secret = site.deletingLastPathComponent().appendingPathComponent("orbis-secret-\(UUID().uuidString).txt")
        try "SECRET".write(to: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }
        try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent("Content/leak.txt").path,
                                                   withDestinationPath: secret.path)
        let result = try CLI.run(["build", "--root", site.path])
        #expect(result.status == 0)
        #expect(result.stderr == "Content/leak.txt: warning: is a symbolic link to a file outside the site, so it is not published; copy the file into the site instead\n")
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("Output/leak.txt").path))
    }

    /// Only files reached through a link are resolved (the walk knows them from the listing): a linked
    /// folder outside the site is caught for the files in it, and a link within the site is published.
    @Test func filesUnderALinkedFolderOutOfTheSiteAreNotPublished() throws {
        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        let outside = site.deletingLastPathComponent().appendingPathComponent("orbis-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        try "SECRET".write(to: outside.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent("Content/linked").path,
                                                   withDestinationPath: outside.path)
        try "shared".write(to: site.appendingPathComponent("Content/real.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent("Content/alias.txt").path,
                                                   withDestinationPath: "real.txt")
        let result = try CLI.run(["build", "--root", site.path])
        #expect(result.status == 0)
        #expect(result.stderr == "Content/linked/secret.txt: warning: is a symbolic link to a file outside the site, so it is not published; copy the file into the site instead\n")
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("Output/linked/secret.txt").path))
        #expect(try String(contentsOf: site.appendingPathComponent("Output/alias.txt"), encoding: .utf8) == "shared")
    }
}
