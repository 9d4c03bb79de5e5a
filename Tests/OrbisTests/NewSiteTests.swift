import Foundation
import Testing

/// `orbis new DIR`: a working site in one command, that never writes into a folder with something in it.
@Suite struct NewSiteTests {
    @Test func aNewSiteBuildsCleanAndPassesCheck() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-new-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: folder)
        }
        let created = try CLI.run(["new", folder.path])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.hasPrefix("Created a site in \(folder.path): 15 files"))
        let files = try CLI.files(in: folder)
        for path in ["site.yaml", ".gitignore", "Content/index.md", "Content/about.md", "Content/data/events.yaml",
                     "Templates/partials/base.mustache", "Templates/assets/site.css", "Templates/404.mustache"] {
            #expect(files[path] != nil, "missing \(path)")
        }
        #expect(String(decoding: files[".gitignore"] ?? Data(), as: UTF8.self).contains("/Output/"))

        let built = try CLI.run(["build", "--root", folder.path])
        #expect(built.status == 0, "\(built.stderr)")
        #expect(built.stderr.isEmpty, "warnings: \(built.stderr)")
        #expect(built.stdout.hasPrefix("Loaded 3 pages, 2 events, 0 data files, 7 templates, 1 file to copy"))
        let output = folder.appendingPathComponent("Output")
        let site = try CLI.files(in: output)
        let events = String(decoding: site["events/index.html"] ?? Data(), as: UTF8.self)
        #expect(events.contains(#"<a href="summer-workshop/index.html">Summer workshop</a>"#))
        #expect(events.contains("<p>2 events</p>"))
        #expect(site["events/open-day/index.html"] != nil && site["about/index.html"] != nil && site["404.html"] != nil)

        let checked = try CLI.run(["check", "--root", folder.path])
        #expect(checked.status == 0, "\(checked.stderr)")
    }

    @Test func aFolderWithAnythingInItIsRefusedAndLeftAlone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-new-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "mine\n".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["new", folder.path])
        #expect(result.status == 2)
        #expect(result.stderr == "error: \(folder.path) is not empty (it has notes.txt); orbis new writes only into a new or empty folder, so nothing of yours is overwritten: give another folder\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["notes.txt"])
    }
}
