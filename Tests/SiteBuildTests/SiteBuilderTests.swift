import Foundation
import Logging
import SiteBuild
@testable import SiteWrite
import FuzzHarness
import Testing

/// A small site in memory; `extra` adds or replaces files (a nil value deletes one).
func siteFiles(_ extra: [String: String?] = [:]) -> [String: String] {
    var files = [
        "/site/site.yaml": "title: Test\nmenu:\n  - index.md\n  - programs/ottawa.md\n",
        "/site/Content/index.md": "---\ntitle: Home\n---\n# Welcome\n\nSee [Ottawa](programs/ottawa.md).\n",
        "/site/Content/about.md": "---\ntitle: About\n---\nAbout us.\n",
        "/site/Content/programs/ottawa.md": "---\ntitle: Ottawa\n---\n## Why\n",
        "/site/Content/programs/map.png": "PNG",
        "/site/Templates/page.mustache": "<html lang=\"en\"><title>{{page.title}}</title><link href=\"{{root}}assets/site.css\">{{#menu}}<a href=\"{{url}}\">{{title}}</a>{{/menu}}{{{page.content}}}",
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

func build(_ fs: any FileSystem, gzip: Bool = false) throws -> BuildReport {
    try SiteBuilder(options: BuildOptions(root: "/site", gzip: gzip), fileSystem: fs,
                    logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }).build()
}

/// The build's errors and warnings, as printed.
func buildProblems(_ fs: any FileSystem) -> [String] {
    do {
        return try build(fs).warnings.map(\.description)
    } catch let error as DiagnosticsError {
        return error.diagnostics.map(\.description)
    } catch {
        return ["unexpected: \(error)"]
    }
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
        #expect(report.stages.map(\.name) == ["load", "render", "check", "write"])
        #expect(report.stages.map(\.summary) == [
            "Loaded 4 pages, 0 data files, 1 template, 2 files to copy", "Rendered 4 pages",
            "Checked 13 links in 4 pages: 0 errors, 0 warnings", "Wrote 7 files (721 B of pages)",
        ])
    }

    /// A build's journal and manifest reach the disk before it goes on (each file and its folder synced), on
    /// a first build and on an update in place; `orbis serve`'s private preview folders, thrown away with
    /// the process, skip it (an fsync on ext4 is tens of milliseconds of a rebuild).
    @Test func buildsFlushTheirJournalAndManifestPreviewFoldersDoNot() throws {
        let fs = InMemoryFileSystem(files: siteFiles())
        let flushed = ["/site/..Output.orbis-journal.orbis-new", "/site", "/site/.Output.manifest.json.orbis-new", "/site"]
        _ = try build(fs)
        #expect(fs.synced == flushed)
        fs.forgetSyncs()
        try fs.writeFile("/site/Content/about.md", Array("---\ntitle: About us\n---\nNew text.\n".utf8))
        _ = try build(fs)
        #expect(fs.synced == flushed)
        fs.forgetSyncs()
        var preview = BuildOptions(root: "/site", output: "/preview/site-a")
        preview.privateOutput = true
        for _ in 0..<2 {
            _ = try SiteBuilder(options: preview, fileSystem: fs, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
                                cache: BuildCache()).build()
        }
        #expect(try fs.readText("/preview/site-a/about/index.html").contains("New text."))
        #expect(fs.synced.isEmpty)
    }

    /// A process that builds again (`orbis serve`) reads the manifest from disk each time: one damaged
    /// since the last build is refused as a new process refuses it; put back, it is the folder's again.
    @Test func aManifestDamagedBetweenTwoBuildsOfOneProcessIsRefused() throws {
        let fs = InMemoryFileSystem(files: siteFiles())
        _ = try build(fs)
        _ = try build(fs)
        let text = try fs.readText("/site/Output.manifest.json")
        try fs.writeFile("/site/Output.manifest.json", Array(text.replacingOccurrences(of: "\"size\":", with: "\"size\":x").utf8))
        do {
            _ = try build(fs)
            Issue.record("a damaged manifest was not refused")
        } catch let refusal as OutputRefusal {
            #expect(refusal.message.contains("its manifest Output.manifest.json is damaged"), "\(refusal.message)")
        }
        try fs.writeFile("/site/Output.manifest.json", Array(text.utf8))
        _ = try build(fs)
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
        #expect(try fs.contentsOfDirectory("/site").sorted() == ["Content", "Output", "Output.manifest.json", "Templates", "site.yaml"])
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
        let manifest = try forward.readText("/site/Output.manifest.json")
        #expect(try reversed.readText("/site/Output.manifest.json") == manifest)
        for seed: UInt64 in [1, 2, 3] {
            let shuffled = InMemoryFileSystem(files: siteFiles(), shuffleSeed: seed)
            _ = try build(shuffled)
            #expect(try snapshot(shuffled, "/site/Output") == first, "listing shuffled with seed \(seed)")
            #expect(try shuffled.readText("/site/Output.manifest.json") == manifest)
        }
    }

    @Test func theManifestListsEveryPublishedFileWithSizeAndSHA256BesideTheOutput() throws {
        let fs = InMemoryFileSystem(files: siteFiles())
        let report = try build(fs)
        #expect(report.manifestPath == "/site/Output.manifest.json")
        let manifest = try fs.readText("/site/Output.manifest.json")
        let lines = manifest.split(separator: "\n")
        // The folder's id, which the marker inside the output repeats: the two agree, so the folder is Orbis's.
        let marker = try fs.readText("/site/Output/.orbis-output")
        let id = String(marker.dropFirst("orbis-output ".count).prefix(16))
        #expect(marker.hasPrefix("orbis-output "))
        #expect(lines.first == #"{"output":"\#(id)","files": ["#)
        #expect(lines.last == "]}")
        #expect(lines.count == 2 + 7, "one line per published file, the manifest and the marker not among them")
        // The digest of "body{}" as `sha256sum` gives it.
        #expect(lines.contains(#"  {"path":"assets/site.css","size":6,"sha256":"7c98040a541657584690ae2a1cc3b42a8b53b159cc60c5d3abbfecbaeac6c94a"},"#))
        let paths = lines.dropFirst().dropLast().map { $0.split(separator: "\"")[3] }
        #expect(paths.map(String.init) == (try fs.filesRecursively(in: "/site/Output")).sorted())
    }

    @Test func gzipWritesADeterministicCompressedCopyOfEachTextFile() throws {
        let fs = InMemoryFileSystem(files: siteFiles())
        let report = try build(fs, gzip: true)
        let files = try fs.filesRecursively(in: "/site/Output")
        #expect(files.filter { $0.hasSuffix(".gz") } == [
            "about/index.html.gz", "assets/site.css.gz", "index.html.gz", "programs/index.html.gz",
            "programs/ottawa/index.html.gz", "robots.txt.gz",
        ])
        #expect(!files.contains("programs/map.png.gz"))
        #expect(report.stages.last?.summary.hasSuffix("and 6 .gz files") == true)
        let packed = try fs.readFile("/site/Output/index.html.gz")
        #expect(try gunzip(packed) == fs.readFile("/site/Output/index.html"))
        #expect(Array(packed.prefix(8)) == [0x1f, 0x8b, 8, 0, 0, 0, 0, 0], "gzip header without a name or time")
        let first = try snapshot(fs, "/site/Output")
        _ = try build(fs, gzip: true)
        #expect(try snapshot(fs, "/site/Output") == first)
    }

    @Test func brokenLinksFailTheBuildAtTheirMarkdownLineAndKeepTheOutput() throws {
        let fs = InMemoryFileSystem(files: siteFiles())
        _ = try build(fs)
        let before = try snapshot(fs, "/site/Output")
        try fs.writeFile("/site/Content/about.md", Array("""
            ---
            title: About
            ---
            See [the map](programs/map.png), [nothing](programs/nothing.png),
            [why](programs/ottawa.md#why) and [how](programs/ottawa.md#how), [top](#welcome).
            """.utf8))
        #expect(buildProblems(fs) == [
            "Content/about.md:4:34: error: broken link 'programs/nothing.png': there is no programs/nothing.png in the output in page about/index.html",
            "Content/about.md:5:35: error: broken link 'programs/ottawa.md#how': programs/ottawa/index.html has no element with id 'how' in page about/index.html",
            "Content/about.md:5:66: error: broken link '#welcome': about/index.html has no element with id 'welcome' in page about/index.html",
        ])
        #expect(try snapshot(fs, "/site/Output") == before)
    }

    /// A problem a template makes shows in every page that uses it: it is reported once, at the template's
    /// line when the check can find it, with how many pages it affects.
    @Test func templateProblemsAreReportedOnceAtTheTemplateLineWithTheirPages() throws {
        let fs = InMemoryFileSystem(files: siteFiles([
            "Templates/page.mustache": "<html><title>{{page.title}}</title><a href=\"{{root}}nowhere/index.html\">x</a><img src=\"{{root}}assets/site.css\"><p id=\"why\"></p>{{{page.content}}}",
        ]))
        #expect(buildProblems(fs) == [
            "Content/programs/ottawa.md: warning: id 'why' is used 2 times in page programs/ottawa/index.html; ids must be unique (a heading's id can clash with one from the template)",
            "Templates/page.mustache: warning: no lang on <html> in 4 pages (about/index.html, index.html and 2 more); add lang=\"{{lang}}\" to the template",
            "Templates/page.mustache:1:45: error: broken link '{{root}}nowhere/index.html': there is no nowhere/index.html in the output in 4 pages (about/index.html, index.html and 2 more)",
            "Templates/page.mustache:1:88: warning: image '{{root}}assets/site.css' has no alt attribute in 4 pages (about/index.html, index.html and 2 more); describe it, or write alt=\"\" if it is decorative",
        ])
    }

    @Test func siteYAMLCanMakeBrokenLinksWarnings() throws {
        let fs = InMemoryFileSystem(files: siteFiles([
            "site.yaml": "title: Test\ncheck:\n  links: warning\n",
            "Content/about.md": "---\ntitle: About\n---\n[gone](gone.html)\n",
        ]))
        #expect(buildProblems(fs) == [
            "Content/about.md:4:1: warning: broken link 'gone.html': there is no gone.html in the output in page about/index.html",
        ])
        #expect(fs.fileExists("/site/Output/about/index.html"))
    }

    @Test func theHomePageLinksToOtherPagesRelatively() throws {
        let fs = InMemoryFileSystem(files: siteFiles())
        _ = try build(fs)
        #expect(try fs.readText("/site/Output/programs/ottawa/index.html") == """
            <html lang="en"><title>Ottawa</title><link href="../../assets/site.css"><a href="../../index.html">Home</a><a href="index.html">Ottawa</a><h2 id="why">Why</h2>

            """)
        #expect(try fs.readText("/site/Output/index.html").contains(#"<p>See <a href="programs/ottawa/index.html">Ottawa</a>.</p>"#))
    }
}

/// A new file system holding `fs`'s site without its output: the same input, built from nothing.
func sourcesOnly(of fs: InMemoryFileSystem) throws -> InMemoryFileSystem {
    let fresh = InMemoryFileSystem(files: [:])
    for path in try fs.filesRecursively(in: "/site") where !path.hasPrefix("Output") && !path.hasPrefix("serve-") {
        try fresh.createDirectory("/site/" + path.split(separator: "/").dropLast().joined(separator: "/"))
        try fresh.writeFile("/site/" + path, try fs.readFile("/site/" + path))
    }
    return fresh
}

/// Decompresses with the system's gzip, independently of the code under test.
func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-dc"]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(bytes))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Array(data)
}

/// A site big enough that parallel stages really interleave: 400 pages in 8 sections linking to each other,
/// 60 partners, two languages.
func largeSiteFiles() -> [String: String] {
    var files = [
        "/site/site.yaml": """
            title: Big
            languages:
              - {code: en, name: English}
              - {code: fr, name: Français}
            collections:
              partners:
                fields:
                  name: text
                  country: country
                  city: text
                  kind: {type: enum, values: [university]}
                  areas: {type: [enum], values: [nursing, pharmacy]}
                pages: {layout: partner}
                list: {route: /partners/, group: country}
                by:
                  areas: /partners/areas/{value}/

            """,
        "/site/Content/index.md": "---\ntitle: Home\n---\n# Home\n",
        "/site/Templates/page.mustache": "<html lang=\"{{lang}}\"><title>{{page.title}}</title>{{#alternates}}<link rel=\"alternate\" hreflang=\"{{hreflang}}\" href=\"{{url}}\">{{/alternates}}{{{page.content}}}{{#pages}}<a href=\"{{url}}\">{{title}}</a>{{/pages}}",
        "/site/Templates/partner.mustache": "<html lang=\"{{lang}}\"><title>{{page.title}}</title>{{partner.name}} {{partner.formatted.place}}",
        "/site/Templates/partners.mustache": "<html lang=\"{{lang}}\"><title>{{page.title}}</title>{{#partners}}{{summary}}{{#groups}}<h2>{{label}}</h2>{{#items}}<a href=\"{{url}}\">{{name}}</a>{{/items}}{{/groups}}{{/partners}}",
        "/site/Templates/strings/en.yaml": "partners: {count: {one: '{n} partner', other: '{n} partners'}, groups: {one: '{n} country', other: '{n} countries'}, summary: '{count} in {groups}', format: {place: '{kind} in {city}, {country}'}}\n",
        "/site/Templates/strings/fr.yaml": "partners: {count: {one: '{n} partenaire', other: '{n} partenaires'}, groups: {one: '{n} pays', other: '{n} pays'}, summary: '{count} dans {groups}', format: {place: '{kind} à {city}, {country}'}, kind: {university: Université}, areas: {nursing: Soins infirmiers, pharmacy: Pharmacie}}\ncountry: {FR: France, CA: Canada}\n",
    ]
    var partners = ""
    for i in 0..<60 {
        partners += "- id: p\(i)\n  name: Partner \(i)\n  country: \(i % 2 == 0 ? "FR" : "CA")\n  city: City \(i % 7)\n  kind: university\n  areas: [\(i % 3 == 0 ? "nursing" : "pharmacy")]\n"
    }
    files["/site/Content/data/partners.yaml"] = partners
    for i in 0..<400 {
        let links = (1...4).map { "[p\((i * 7 + $0 * 13) % 400)](../s\((i * 7 + $0 * 13) % 400 % 8)/p\((i * 7 + $0 * 13) % 400).md#part-2)" }
        let text = "---\ntitle: Page \(i)\n---\n## Part 1\n\nText \(i).\n\n## Part 2\n\nSee \(links.joined(separator: ", ")).\n"
        files["/site/Content/s\(i % 8)/p\(i).md"] = text
        if i % 3 == 0 { files["/site/Content/s\(i % 8)/p\(i).fr.md"] = text.replacingOccurrences(of: "Page", with: "Page fr") }
    }
    return files
}

@Suite struct IncrementalWriteTests {
    @Test func aRebuildTouchesOnlyWhatChangedAndEndsLikeAFreshBuild() throws {
        let fs = InMemoryFileSystem(files: siteFiles())
        _ = try build(fs)
        let same = try build(fs)
        #expect(same.stages.last?.summary == "Updated 0 files, 7 unchanged (721 B of pages)")

        try fs.writeFile("/site/Content/about.md", Array("---\ntitle: About us\n---\nNew text.\n".utf8))
        try fs.removeItem("/site/Content/programs/map.png")
        try fs.createDirectory("/site/Content/news")
        try fs.writeFile("/site/Content/news/visit.md", Array("---\ntitle: Visit\n---\n".utf8))
        try fs.writeFile("/site/Templates/page.mustache", Array((siteFiles()["/site/Templates/page.mustache"]! + "<footer></footer>").utf8))
        let changed = try build(fs, gzip: true)
        #expect(changed.stages.last?.summary == "Updated 14 files, 2 unchanged (1.1 KB of pages) and 8 .gz files")

        // The same input built from nothing gives the same folder and manifest.
        let fresh = try sourcesOnly(of: fs)
        _ = try build(fresh, gzip: true)
        #expect(try snapshot(fs, "/site/Output") == snapshot(fresh, "/site/Output"))
        #expect(try fs.readText("/site/Output.manifest.json") == fresh.readText("/site/Output.manifest.json"))
        #expect(fs.kind(of: "/site/Output/programs/map.png") == nil)
        #expect(try fs.contentsOfDirectory("/site").sorted() == ["Content", "Output", "Output.manifest.json", "Templates", "site.yaml"])
        #expect(try fs.filesRecursively(in: "/site/Output").allSatisfy { !$0.contains("orbis-new") })

        // gzip off again: the .gz files go.
        _ = try build(fs)
        #expect(try fs.filesRecursively(in: "/site/Output").filter { $0.hasSuffix(".gz") }.isEmpty)
    }

    @Test func aFileRemovedFromTheOutputByHandComesBackAndFilesPutThereByHandStay() throws {
        let fs = InMemoryFileSystem(files: siteFiles())
        _ = try build(fs)
        let first = try snapshot(fs, "/site/Output")
        try fs.removeItem("/site/Output/about/index.html")
        try fs.writeFile("/site/Output/CNAME", Array("example.org\n".utf8))
        let repaired = try build(fs)
        #expect(repaired.stages.last?.summary.hasPrefix("Updated 1 file, 6 unchanged") == true)
        var expected = first
        expected["CNAME"] = "example.org\n"
        #expect(try snapshot(fs, "/site/Output") == expected, "a file the build did not write is kept")
    }

    /// Without a manifest that agrees with the folder's marker, Orbis cannot tell its files from the user's:
    /// it refuses, and `--force` builds into the folder keeping every file the site does not write.
    @Test func aDamagedManifestIsRefusedAndForceKeepsWhatTheSiteDoesNotWrite() throws {
        let fs = InMemoryFileSystem(files: siteFiles())
        _ = try build(fs)
        let first = try snapshot(fs, "/site/Output")
        try fs.writeFile("/site/Output.manifest.json", Array("not a manifest".utf8))
        try fs.writeFile("/site/Output/stray.txt", Array("left by hand".utf8))
        #expect(throws: OutputRefusal.self) { try build(fs) }
        #expect(try fs.readText("/site/Output/stray.txt") == "left by hand")
        var options = BuildOptions(root: "/site")
        options.force = true
        let forced = try SiteBuilder(options: options, fileSystem: fs, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }).build()
        #expect(forced.warnings.map(\.message).contains("kept 1 file in /site/Output that this build did not write (stray.txt); later builds keep them too"))
        var expected = first
        expected["stray.txt"] = "left by hand"
        #expect(try snapshot(fs, "/site/Output") == expected)
        #expect(try build(fs).stages.last?.summary.hasPrefix("Updated 0 files, 7 unchanged") == true, "the folder is Orbis's again")
    }

    /// Pages are staged as they are rendered, before the check: a build that fails the check (here in the
    /// middle of an in-place update, with changed pages already staged) publishes none of them, and the
    /// staging folder a killed build left is cleared by the next one.
    @Test func stagedPagesReachTheOutputOnlyWhenTheWholeBuildPasses() throws {
        let fs = InMemoryFileSystem(files: siteFiles())
        _ = try build(fs)
        let before = try snapshot(fs, "/site/Output")
        let manifest = try fs.readText("/site/Output.manifest.json")
        try fs.writeFile("/site/Content/about.md", Array("---\ntitle: About us\n---\nNew text, see [x](#nowhere).\n".utf8))
        #expect(throws: DiagnosticsError.self) { try build(fs) }
        #expect(try snapshot(fs, "/site/Output") == before)
        #expect(try fs.readText("/site/Output.manifest.json") == manifest)
        #expect(try fs.contentsOfDirectory("/site").sorted() == ["Content", "Output", "Output.manifest.json", "Templates", "site.yaml"])

        // What a killed build leaves: its work folder, marked as Orbis's.
        try fs.createDirectory("/site/.Output.orbis-work/new/about")
        try fs.writeFile("/site/.Output.orbis-work/.orbis-work", Array("Orbis stages a build here".utf8))
        try fs.writeFile("/site/.Output.orbis-work/new/about/index.html", Array("from a killed build".utf8))
        try fs.writeFile("/site/Content/about.md", Array("---\ntitle: About us\n---\nNew text.\n".utf8))
        let fixed = try build(fs)
        #expect(fixed.stages.last?.summary.hasPrefix("Updated 1 file, 6 unchanged") == true)
        #expect(try fs.readText("/site/Output/about/index.html").contains("New text."))
        #expect(try fs.contentsOfDirectory("/site").sorted() == ["Content", "Output", "Output.manifest.json", "Templates", "site.yaml"])
    }
}

@Suite struct BuildCacheTests {
    func cachedBuild(_ fs: any FileSystem, _ cache: BuildCache) throws -> BuildReport {
        try SiteBuilder(options: BuildOptions(root: "/site"), fileSystem: fs,
                        logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, cache: cache).build()
    }

    /// The same files built from nothing, without a cache.
    func freshOutput(of fs: InMemoryFileSystem) throws -> [String: String] {
        let fresh = try sourcesOnly(of: fs)
        _ = try build(fresh)
        return try snapshot(fresh, "/site/Output")
    }

    @Test func aBodyEditRendersOnlyThatPageAndGivesWhatAFullBuildGives() throws {
        let fs = InMemoryFileSystem(files: largeSiteFiles())
        let cache = BuildCache()
        _ = try cachedBuild(fs, cache)
        try fs.writeFile("/site/Content/s3/p3.md", Array("---\ntitle: Page 3\n---\n## Part 2\n\nRewritten, see [p4](../s4/p4.md#part-2).\n".utf8))
        let report = try cachedBuild(fs, cache)
        let render = try #require(report.stages.first { $0.name == "render" })
        #expect(render.summary.hasSuffix("unchanged, reused)"))
        #expect(try snapshot(fs, "/site/Output") == freshOutput(of: fs))
    }

    @Test func aChangeOtherPagesShowRendersThosePagesAgain() throws {
        let fs = InMemoryFileSystem(files: largeSiteFiles())
        let cache = BuildCache()
        _ = try cachedBuild(fs, cache)
        // A new title shows in section lists; a template change shows everywhere.
        try fs.writeFile("/site/Content/s3/p3.md", Array("---\ntitle: A new title\n---\n## Part 2\n".utf8))
        let report = try cachedBuild(fs, cache)
        #expect(report.stages.first { $0.name == "render" }?.summary.contains("unchanged, reused") == true)
        #expect(try snapshot(fs, "/site/Output") == freshOutput(of: fs))
        try fs.writeFile("/site/Templates/page.mustache", Array("<html lang=\"{{lang}}\"><title>{{page.title}}!</title>{{{page.content}}}".utf8))
        _ = try cachedBuild(fs, cache)
        #expect(try snapshot(fs, "/site/Output") == freshOutput(of: fs))
    }

    @Test func aBodyEditThatBreaksAnotherPagesFragmentLinkIsCaughtAndAFixRecovers() throws {
        let fs = InMemoryFileSystem(files: largeSiteFiles())
        let cache = BuildCache()
        _ = try cachedBuild(fs, cache)
        let before = try snapshot(fs, "/site/Output")
        // Other pages link to p13.md#part-2; renaming the heading breaks them.
        try fs.writeFile("/site/Content/s5/p13.md", Array("---\ntitle: Page 13\n---\n## Part two\n".utf8))
        #expect(throws: DiagnosticsError.self) { try cachedBuild(fs, cache) }
        #expect(try snapshot(fs, "/site/Output") == before)
        try fs.writeFile("/site/Content/s5/p13.md", Array("---\ntitle: Page 13\n---\n## Part 2\n\nBack.\n".utf8))
        _ = try cachedBuild(fs, cache)
        #expect(try snapshot(fs, "/site/Output") == freshOutput(of: fs))
    }
}

/// `--jobs` is passed down to every stage as a value (no global), so these builds may run side by side.
@Suite struct ParallelBuildTests {
    @Test func aParallelBuildIsByteIdenticalToASequentialOne() throws {
        func buildWith(jobs: Int) throws -> ([String: String], String) {
            let fs = InMemoryFileSystem(files: largeSiteFiles(), shuffleSeed: UInt64(jobs))
            _ = try SiteBuilder(options: BuildOptions(root: "/site", jobs: jobs), fileSystem: fs,
                                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }).build()
            return (try snapshot(fs, "/site/Output"), try fs.readText("/site/Output.manifest.json"))
        }
        let (sequential, manifest) = try buildWith(jobs: 1)
        #expect(sequential.count > 600)
        for jobs in [2, 4, 8] {
            let (parallel, parallelManifest) = try buildWith(jobs: jobs)
            #expect(parallel == sequential, "--jobs \(jobs) wrote different bytes")
            #expect(parallelManifest == manifest)
        }
    }
}

@Suite struct ManifestTests {
    /// What the manifest writes, it reads back: plain paths (the fast paths) and ones that need escapes.
    @Test func manifestRoundTripsEveryKindOfPath() throws {
        let paths = ["index.html", "zh/伙伴/index.html", "a \"quoted\" name.txt", "back\\slash.txt", "<tag>&amp.html",
                     "line\u{2028}sep.txt", "tab\there.txt", "emoji-😀.png", "ctrl\u{1}.txt"]
        let entries = paths.enumerated().map { ManifestEntry(path: $1, size: $0 * 1000, sha256: String(repeating: "ab", count: 32)) }
        let text = OutputWriter.manifest(entries, id: "0123456789abcdef")
        #expect(text.hasPrefix(#"{"output":"0123456789abcdef","files": ["#))
        #expect(text.contains(#"{"path":"a \"quoted\" name.txt","size":2000,"#))
        #expect(text.contains(#""path":"\u003ctag\u003e\u0026amp.html""#))
        let parsed = try #require(OutputWriter.parseManifest(text))
        #expect(parsed.id == "0123456789abcdef")
        #expect(parsed.entries == Dictionary(uniqueKeysWithValues: entries.map { ($0.path, $0) }))
        #expect(OutputWriter.parseManifest(text.replacingOccurrences(of: "\"size\":1000", with: "\"size\":x")) == nil)
        #expect(OutputWriter.parseManifest("{\"files\": [\n]}\n")?.entries == [:], "a manifest from before ids")
        #expect(OutputWriter.parseManifest("{\"files\": [\n]}\n")?.id == nil)
        #expect(OutputWriter.parseManifest("not a manifest") == nil)
    }

    /// A manifest is input (it may come from a repository or a deploy bucket): a path that is not a plain
    /// relative path inside the output makes it no manifest at all, so nothing is ever done with it.
    @Test(arguments: ["../../precious.txt", "/etc/passwd", "a/../../b", "./index.html", "a//b", "", "a/./b", "nul\u{0}.txt", "new\nline"])
    func manifestPathsOutsideTheOutputAreRefused(_ path: String) {
        let text = OutputWriter.manifest([ManifestEntry(path: path, size: 1, sha256: String(repeating: "ab", count: 32))], id: "0123456789abcdef")
        #expect(OutputWriter.parseManifest(text) == nil)
    }
}

@Suite struct DigestTests {
    @Test func sha256MatchesTheStandardTestVectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        let abc = Array("abc".utf8)
        #expect(abc.withUnsafeBytes { SHA256.portableHex($0) } == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// The SHA-extension code (used where the processor has it, as on the machines CI runs on) and the
    /// portable code agree on every tail length around the block size and on long inputs.
    @Test func acceleratedAndPortableSHA256Agree() {
        var generator = SplitMix64(seed: 7)
        let bytes = (0..<70_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let lengths = Array(0...200) + [1_000, 4_095, 4_096, 4_097, 65_536, 70_000]
        for length in lengths {
            bytes.withUnsafeBytes { all in
                let slice = UnsafeRawBufferPointer(rebasing: all[0..<length])
                #expect(SHA256.hex(slice) == SHA256.portableHex(slice), "length \(length)")
            }
        }
    }
}

/// An in-memory file system that fails the `failAt`-th change of the output folder (a rename, exchange or
/// delete inside it): what a read-only folder, a full disk or a permission error does halfway through a commit.
final class FailingFileSystem: FileSystem, @unchecked Sendable {
    let base: InMemoryFileSystem
    let output: String
    var failAt: Int?
    private(set) var changes = 0
    private let lock = NSLock()

    init(_ base: InMemoryFileSystem, output: String = "/site/Output") {
        self.base = base
        self.output = output
    }

    private func change(_ path: String) throws {
        guard path.hasPrefix(output + "/") else { return }
        try lock.withLock {
            changes += 1
            if let failAt, changes == failAt { throw FileSystemError(path: path, reason: "Permission denied") }
        }
    }

    func kind(of path: String) -> FileKind? { base.kind(of: path) }
    func stamp(_ path: String) -> FileStamp? { base.stamp(path) }
    func readFile(_ path: String) throws -> [UInt8] { try base.readFile(path) }
    func contentsOfDirectory(_ path: String) throws -> [String] { try base.contentsOfDirectory(path) }
    func createDirectory(_ path: String) throws { try base.createDirectory(path) }
    func writeFile(_ path: String, _ contents: [UInt8]) throws { try change(path); try base.writeFile(path, contents) }
    func removeItem(_ path: String) throws { try base.removeItem(path) }
    func moveItem(from source: String, to destination: String) throws {
        try change(source); try change(destination); try base.moveItem(from: source, to: destination)
    }
    func entryType(_ path: String) -> EntryType? { base.entryType(path) }
    func exchange(_ first: String, _ second: String) throws { try change(second); try base.exchange(first, second) }
    func moveItemNoReplace(from source: String, to destination: String) throws {
        try change(destination); try base.moveItemNoReplace(from: source, to: destination)
    }
    func removeFile(_ path: String) throws { try base.removeFile(path) }
    func removeEmptyDirectory(_ path: String) throws { try base.removeEmptyDirectory(path) }
    func canonicalPath(_ path: String) -> String { base.canonicalPath(path) }
    func sync(_ path: String) {}
    func tryLock(_ path: String, exclusive: Bool) throws -> (any FileLock)? { try base.tryLock(path, exclusive: exclusive) }
}

@Suite struct CommitFailureTests {
    /// Whichever step of an in-place commit fails, what was done is undone: the output and its manifest are
    /// byte-identical to before, nothing is left beside them, and the next build completes.
    @Test(arguments: 1...6)
    func aCommitThatFailsAtAnyStepLeavesTheOutputAsItWas(failAt: Int) throws {
        let memory = InMemoryFileSystem(files: siteFiles())
        let fs = FailingFileSystem(memory)
        _ = try build(fs)
        try memory.writeFile("/site/Output/CNAME", Array("example.org\n".utf8))
        let before = try snapshot(memory, "/site/Output")
        let manifest = try memory.readText("/site/Output.manifest.json")
        try memory.writeFile("/site/Content/about.md", Array("---\ntitle: About us\n---\nNew.\n".utf8))
        try memory.writeFile("/site/Content/programs/ottawa.md", Array("---\ntitle: Ottawa now\n---\n## Why\n".utf8))
        try memory.writeFile("/site/Content/news.md", Array("---\ntitle: News\n---\n".utf8))
        try memory.removeItem("/site/Content/programs/map.png")
        fs.failAt = failAt
        #expect(throws: OutputRefusal.self) { try build(fs) }
        #expect(try snapshot(memory, "/site/Output") == before, "failing at change \(failAt)")
        #expect(try memory.readText("/site/Output.manifest.json") == manifest)
        #expect(try memory.contentsOfDirectory("/site").sorted() == ["Content", "Output", "Output.manifest.json", "Templates", "site.yaml"])
        fs.failAt = nil
        let start = fs.changes
        _ = try build(fs)
        #expect(fs.changes - start >= 6, "the commit makes at least six changes, so each failure point is one of them")
        var expected = try snapshot(try sourcesOnly(of: memory).built(), "/site/Output")
        expected["CNAME"] = "example.org\n"
        #expect(try snapshot(memory, "/site/Output") == expected)
    }
}

extension InMemoryFileSystem {
    /// This file system after a build of its site.
    func built() throws -> InMemoryFileSystem {
        _ = try build(self)
        return self
    }
}

/// Every input the fuzzer kept (`make fuzz`), and every crash it ever found, still builds to a good site or
/// to content errors: never a crash or a trap. The corpus is under Tests/Fuzz/.
@Suite struct FuzzCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func inputs(_ name: String) -> [URL] {
        let folder = Self.folder.appendingPathComponent(name)
        return ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.path < $1.path }
    }

    @Test func theSeedsBuild() throws {
        let seeds = Self.inputs("corpus")
        #expect(seeds.count >= 3)
        #expect(FuzzHarness.run(Array("---\ntitle: Home\n---\nHi\n".utf8)) == .built)
    }

    @Test func everyKeptInputAndEveryFoundCrashRunsToAnEnd() throws {
        for input in Self.inputs("corpus") + Self.inputs("crashes") {
            let outcome = FuzzHarness.run(Array(try Data(contentsOf: input)))
            #expect([.built, .contentErrors, .refused].contains(outcome), "\(input.lastPathComponent)")
        }
    }
}
