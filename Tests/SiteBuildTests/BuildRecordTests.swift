import Foundation
import Logging
@testable import SiteBuild
import SiteIO
import SiteModel
import Testing

/// `orbis build` keeps a record of each build beside its output and the next build reads it back to render
/// only what changed. The record is only ever a way to do less: one that is damaged, was written for
/// another output or another manifest, by another Orbis or with other settings, is not used; a kept page
/// whose file someone changed is built again. In every case the output is what a build from nothing gives.
@Suite struct BuildRecordTests {
    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func site() -> InMemoryFileSystem {
        var files = IncrementalTests.siteFiles()
        files["/site/site.yaml"] = files["/site/site.yaml"]!.replacingOccurrences(of: "search: true\n", with: "")
        return InMemoryFileSystem(files: files)
    }

    /// A build as `orbis build` makes it; the number of pages it rendered.
    @discardableResult
    static func build(_ fs: InMemoryFileSystem, engine: String = "orbis test", drafts: Bool = false) throws -> Int {
        var options = BuildOptions(root: "/site", includeDrafts: drafts)
        options.keepsRecord = true
        options.engine = engine
        return try SiteBuilder(options: options, fileSystem: fs, logger: quiet).build().renderedPages
    }

    static func expectFresh(_ fs: InMemoryFileSystem, _ what: String) throws {
        let fresh = try sourcesOnly(of: fs)
        _ = try SiteBuilder(options: BuildOptions(root: "/site"), fileSystem: fresh, logger: quiet).build()
        #expect(try snapshot(fs, "/site/Output") == snapshot(fresh, "/site/Output"), "\(what)")
    }

    static let record = "/site/Output.build-record"

    @Test func aRecordLetsTheNextBuildRenderOnlyWhatChanged() throws {
        let fs = Self.site()
        let all = try Self.build(fs)
        #expect(fs.fileExists(Self.record))
        #expect(try Self.build(fs) <= 4, "nothing changed: only the 404 pages are rendered")
        try IncrementalTests.edit(fs, "Content/docs/d3.md") { $0 + "\nAdded.\n" }
        let rendered = try Self.build(fs)
        #expect(rendered > 0 && rendered < all / 2)
        try Self.expectFresh(fs, "a body edited")
    }

    @Test(arguments: ["truncated", "a byte changed", "another output", "another Orbis", "other settings", "another manifest", "not a record"])
    func aRecordThatDoesNotFitIsNotUsed(what: String) throws {
        let fs = Self.site()
        let all = try Self.build(fs)
        var bytes = try fs.readFile(Self.record)
        var engine = "orbis test", drafts = false
        switch what {
        case "truncated": bytes.removeLast(bytes.count / 3)
        case "a byte changed": bytes[bytes.count - 40] ^= 0x20
        case "another output":
            // The output's id is in its marker and manifest: a new output (same path) has a new one.
            try fs.removeItem("/site/Output")
            try fs.removeItem("/site/Output.manifest.json")
        case "another Orbis": engine = "orbis 9.9"
        case "other settings": drafts = true
        case "another manifest":
            try fs.writeFile("/site/Output.manifest.json", Array(try fs.readText("/site/Output.manifest.json").replacingOccurrences(of: ",\"size\":", with: ", \"size\":").utf8))
        default: bytes = Array("orbis build record 3\nnothing useful".utf8)
        }
        if what != "another output" { try fs.writeFile(Self.record, bytes) }
        try IncrementalTests.edit(fs, "Content/docs/d3.md") { $0 + "\nAdded.\n" }
        let rendered = (try? Self.build(fs, engine: engine, drafts: drafts)) ?? -1
        if what == "another manifest" {
            // A manifest Orbis did not write is refused before anything else.
            #expect(rendered == -1)
            return
        }
        #expect(rendered == all, "\(what): every page is rendered")
        try Self.expectFresh(fs, what)
        // A new record is written, which the next build uses.
        try IncrementalTests.edit(fs, "Content/docs/d4.md") { $0 + "\nAdded.\n" }
        #expect(try Self.build(fs, engine: engine, drafts: drafts) < all / 2)
    }

    /// Someone changed a page of the output by hand: the record's plan would keep it, but it is not what the
    /// manifest says, so the build goes through every page — and refuses to replace a file changed by hand,
    /// as a build without a record does, leaving everything as it was. Once the user deletes it, the build
    /// puts the page back.
    @Test func aKeptPageChangedByHandIsNotKeptNorReplaced() throws {
        let fs = Self.site()
        let all = try Self.build(fs)
        try fs.writeFile("/site/Output/about/index.html", Array("<p>mine</p>".utf8))
        try IncrementalTests.edit(fs, "Content/docs/d3.md") { $0 + "\nAdded.\n" }
        let before = try snapshot(fs, "/site/Output")
        #expect(throws: OutputRefusal.self) { try Self.build(fs) }
        #expect(try snapshot(fs, "/site/Output") == before)
        try fs.removeItem("/site/Output/about/index.html")
        #expect(try Self.build(fs) == all)
        try Self.expectFresh(fs, "a page deleted by hand")
    }

    /// A file saved again with the same text (a `touch`, a checkout) is read again, found the same, and no
    /// page is rendered for it.
    @Test func aFileTouchedButNotChangedRendersNothing() throws {
        let fs = Self.site()
        try Self.build(fs)
        try IncrementalTests.edit(fs, "Content/docs/d3.md") { $0 }
        #expect(try Self.build(fs) <= 4)
        try Self.expectFresh(fs, "a file touched")
    }

    /// A failed build leaves the record as it was (it describes the output, which is unchanged).
    @Test func aFailedBuildLeavesTheRecord() throws {
        let fs = Self.site()
        try Self.build(fs)
        let before = try fs.readFile(Self.record)
        try IncrementalTests.edit(fs, "Content/docs/d3.md") { $0 + "\nSee [x](nowhere.md).\n" }
        #expect(throws: DiagnosticsError.self) { try Self.build(fs) }
        #expect(try fs.readFile(Self.record) == before)
        try IncrementalTests.edit(fs, "Content/docs/d3.md") { $0.replacingOccurrences(of: "\nSee [x](nowhere.md).\n", with: "\nFixed.\n") }
        #expect(try Self.build(fs) <= 6)
        try Self.expectFresh(fs, "after a failed build")
    }

    /// What a record holds reads back as it was written.
    @Test func aRecordReadsBackAsWritten() throws {
        let fs = Self.site()
        try Self.build(fs)
        let bytes = try fs.readFile(Self.record)
        let manifest = SHA256.hex(try fs.readFile("/site/Output.manifest.json"))
        let marker = try fs.readText("/site/Output/.orbis-output").split(separator: "\n")[0].split(separator: " ")[1]
        let builder = SiteBuilder(options: BuildOptions(root: "/site"), fileSystem: fs, logger: Self.quiet)
        var key = BuildRecord.Key(output: String(marker), manifest: manifest, engine: "orbis test", settings: builder.settings)
        let (state, pages, parseKey) = try #require(BuildRecord.decode(bytes, key: key))
        #expect(parseKey.hasPrefix("languages \"en\"=\"en\""), "\(parseKey)")
        #expect(state.pages.count == (try fs.filesRecursively(in: "/site/Output")).filter { $0.hasSuffix(".html") }.count)
        #expect(pages.count == 27)
        // A page reads its breadcrumbs and where its links lead; the docs list its pages and the news (`list:`).
        #expect(state.pages.first { $0.route == "/docs/d3/" }?.reads.contains { $0.hasPrefix("c") } == false)
        #expect(state.pages.first { $0.route == "/docs/d3/" }?.reads.contains("p/docs/") == true)
        #expect(state.pages.first { $0.route == "/docs/d3/" }?.reads.contains("ldocs/d4.md") == true)
        #expect(state.pages.first { $0.route == "/docs/" }?.reads.contains("cdocs") == true)
        #expect(state.pages.first { $0.route == "/docs/" }?.reads.contains("cnews") == true)
        let again = BuildRecord.file(key: key, payload: BuildRecord.parsedPages(pages, parseKey: parseKey) + BuildRecord.build(state))
        #expect(BuildRecord.decode(again, key: key)?.state.pages.map(\.route) == state.pages.map(\.route))
        key.engine = "another"
        #expect(BuildRecord.decode(bytes, key: key) == nil)
    }
}
