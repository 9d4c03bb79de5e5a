import Logging
import SiteBuild
import Testing

/// A small site in memory; `extra` adds or replaces files (a nil value deletes one).
func siteFiles(_ extra: [String: String?] = [:]) -> [String: String] {
    var files = [
        "/site/site.yaml": "title: Test\nmenu:\n  - index.md\n  - programs/ottawa.md\n",
        "/site/Content/index.md": "---\ntitle: Home\n---\n# Welcome\n\nSee [Ottawa](programs/ottawa.md).\n",
        "/site/Content/about.md": "---\ntitle: About\n---\nAbout us.\n",
        "/site/Content/programs/ottawa.md": "---\ntitle: Ottawa\n---\n## Why\n",
        "/site/Content/programs/map.png": "PNG",
        "/site/Templates/page.mustache": "<title>{{page.title}}</title><link href=\"{{root}}assets/site.css\">{{#menu}}<a href=\"{{url}}\">{{title}}</a>{{/menu}}{{{page.content}}}",
        "/site/Templates/assets/site.css": "body{}",
    ]
    for (path, text) in extra { files["/site/" + path] = text }
    return files
}

/// Every file under `folder`, path → text.
func snapshot(_ fs: any FileSystem, _ folder: String) throws -> [String: String] {
    var result: [String: String] = [:]
    for path in try fs.filesRecursively(in: folder) { result[path] = try fs.readText(folder + "/" + path) }
    return result
}

func build(_ fs: any FileSystem) throws -> BuildReport {
    try SiteBuilder(options: BuildOptions(root: "/site"), fileSystem: fs, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }).build()
}

@Suite struct SiteBuilderTests {
    @Test func writesCleanURLsAndCopiesFiles() throws {
        let fs = InMemoryFileSystem(files: siteFiles())
        let report = try build(fs)
        #expect(report.pages == 4)
        #expect(try fs.filesRecursively(in: "/site/Output") == [
            "about/index.html", "assets/site.css", "index.html", "programs/index.html", "programs/map.png",
            "programs/ottawa/index.html", "robots.txt",
        ])
        #expect(report.stages.map(\.name) == ["load", "render", "write"])
        #expect(report.stages.map(\.summary) == [
            "Loaded 4 pages, 0 partners, 0 data files, 1 templates, 2 files to copy", "Rendered 4 pages", "Wrote 7 files (571 B of pages)",
        ])
    }

    @Test func aFailedBuildLeavesThePreviousOutputByteIdenticalAndNoTemporaryFolder() throws {
        let fs = InMemoryFileSystem(files: siteFiles())
        _ = try build(fs)
        let before = try snapshot(fs, "/site/Output")
        for (path, text) in siteFiles(["Content/about.md": "---\ntitle: About\ndate: 2024-02-30\n---\n"]) {
            try fs.writeFile(path, Array(text.utf8))
        }
        #expect(throws: DiagnosticsError.self) { try build(fs) }
        #expect(try snapshot(fs, "/site/Output") == before)
        #expect(try fs.contentsOfDirectory("/site").sorted() == ["Content", "Output", "Templates", "site.yaml"])
    }

    @Test func pagesWhoseSourcesWereDeletedDisappear() throws {
        let fs = InMemoryFileSystem(files: siteFiles())
        _ = try build(fs)
        try fs.removeItem("/site/Content/about.md")
        _ = try build(fs)
        #expect(fs.kind(of: "/site/Output/about") == nil)
        #expect(fs.fileExists("/site/Output/index.html"))
    }

    @Test func twoBuildsAreByteIdenticalWhateverTheDirectoryListingOrder() throws {
        let forward = InMemoryFileSystem(files: siteFiles())
        let reversed = InMemoryFileSystem(files: siteFiles(), reverseListings: true)
        _ = try build(forward)
        let first = try snapshot(forward, "/site/Output")
        _ = try build(forward)
        #expect(try snapshot(forward, "/site/Output") == first)
        _ = try build(reversed)
        #expect(try snapshot(reversed, "/site/Output") == first)
    }

    @Test func theHomePageLinksToOtherPagesRelatively() throws {
        let fs = InMemoryFileSystem(files: siteFiles())
        _ = try build(fs)
        #expect(try fs.readText("/site/Output/programs/ottawa/index.html") == """
            <title>Ottawa</title><link href="../../assets/site.css"><a href="../../">Home</a><a href="./">Ottawa</a><h2 id="why">Why</h2>

            """)
        #expect(try fs.readText("/site/Output/index.html").contains(#"<p>See <a href="programs/ottawa/">Ottawa</a>.</p>"#))
    }
}
