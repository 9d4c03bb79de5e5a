import Foundation
import SiteCheck
import SiteIO
import Synchronization
import SiteModel
import SiteRender
import SiteWrite

/// What `orbis build` keeps beside its output for the next build of it (`<output>.build-record`): the
/// `BuildCache` of the last good build, without HTML. It belongs to that output and that build: it names
/// the output's id, the manifest it was written with (by its SHA-256), the engine that wrote it and what
/// the build was asked; a record that does not match all of them, or whose bytes do not match their own
/// SHA-256, is not used (the build then renders everything and writes a new one). It is only ever a way to
/// do less: every page it lets a build keep is in the output, with the SHA-256 the manifest says. It holds
/// no page's ids: the few a rebuild's check needs (the pages rendered again, the pages they link into)
/// are read back from the output, as the manifest says it is.
enum BuildRecord {
    static let magic = "orbis build record 7\n"

    /// Where a page's file is, for its route: `/a/b/` → `a/b/index.html`.
    static func outputPath(of route: String) -> String { String(route.dropFirst()) + "index.html" }

    /// Where the record of `output` is kept: beside it, as the manifest is.
    static func path(for output: String) -> String {
        let manifest = OutputWriter.manifestPath(for: output)
        return String(manifest.dropLast(".manifest.json".count)) + ".build-record"
    }

    /// Who and what a record is for: a record is used only by a build with the same key.
    struct Key: Equatable {
        /// The output folder's id (its marker and manifest).
        var output: String
        /// The SHA-256 of the manifest the record was written with.
        var manifest: String
        /// The Orbis that wrote it (a new Orbis may render differently).
        var engine: String
        /// What the build was asked that changes the output (drafts, base URL, gzip, today, the site's folder).
        var settings: String
    }

    /// The record's first part: the pages its build parsed, by file, and what they were parsed with.
    static func parsedPages(_ pages: [(path: String, stamp: FileStamp, page: Page)], parseKey: String) -> [UInt8] {
        var body = RecordWriter(capacity: 1 << 22, interns: true)
        body.string(parseKey)
        body.list(pages) { w, entry in
            w.string(entry.path)
            w.stamp(entry.stamp)
            w.page(entry.page)
        }
        return Self.section(body)
    }

    /// The record's second part: what the site was made of, every page published with what it read, and
    /// what the check found. Made on another core while the output is written.
    static func build(_ state: BuildState) -> [UInt8] {
        var body = RecordWriter(capacity: 1 << 22, interns: true)
        let digests = state.digests
        body.digest(digests.structure)
        body.int(digests.pages.count)
        for (route, page) in digests.pages {
            body.string(route)
            body.digest(page.own)
            body.digest(page.summary)
            body.string(page.place)
        }
        for map in [digests.collections, digests.links, digests.translations, digests.menus] {
            body.int(map.count)
            for (key, digest) in map {
                body.string(key)
                body.digest(digest)
            }
        }
        body.strings(Array(state.outputPaths))
        let check = state.check
        // Each page without what the next build can work out again: its output path (from its route, but for
        // a 404 page), its translations (the renderers have them), where its Markdown links came from (a
        // check that finds a problem in a page it did not render renders it again for them).
        body.list(state.pages) { w, page in
            w.string(page.route)
            w.optional(page.outputPath == Self.outputPath(of: page.route) ? nil : page.outputPath) { $0.string($1) }
            w.string(page.source)
            w.optional(page.sourcePath) { $0.string($1) }
            w.string(page.layout)
            w.strings(page.reads)
            let found = check.pageChecks[page.outputPath]
            w.list(found?.findings ?? []) { $0.finding($1) }
            w.int(found?.checked ?? 0)
        }
        return Self.section(body)
    }

    /// A part: its length, its table of texts, then what refers to it.
    private static func section(_ body: RecordWriter) -> [UInt8] {
        var table = RecordWriter(capacity: body.strings.reduce(16) { $0 + $1.utf8.count + 2 })
        table.strings(body.strings)
        var head = RecordWriter(capacity: 16)
        head.int(table.bytes.count + body.bytes.count)
        return head.bytes + table.bytes + body.bytes
    }

    /// The record's file: what it is for, the SHA-256 of its contents, its contents.
    static func file(key: Key, payload: [UInt8]) -> [UInt8] {
        var head = RecordWriter(capacity: 512)
        head.string(key.output)
        head.string(key.manifest)
        head.string(key.engine)
        head.string(key.settings)
        head.string(SHA256.hex(payload))
        return Array(magic.utf8) + head.bytes + payload
    }

    /// The record in `bytes`, if it is whole and made for `key`.
    static func decode(_ bytes: [UInt8], key: Key) -> (state: BuildState, pages: [(path: String, stamp: FileStamp, page: Page)], parseKey: String)? {
        let magic = Array(Self.magic.utf8)
        guard bytes.starts(with: magic) else { return nil }
        var head = RecordReader(Array(bytes[magic.count...]))
        do throws(RecordReader.Damaged) {
            let written = Key(output: try head.string(), manifest: try head.string(), engine: try head.string(), settings: try head.string())
            guard written == key else { return nil }
            let digest = try head.string()
            let payload = Array(bytes[(magic.count + head.position)...])
            guard SHA256.hex(payload) == digest else { return nil }
            // The two parts, read on two cores.
            var outer = RecordReader(payload)
            let first = try outer.count()
            let firstStart = outer.position
            let firstPart = Array(payload[firstStart..<(firstStart + first)])
            var second = RecordReader(Array(payload[(firstStart + first)...]))
            let secondLength = try second.count()
            let secondPart = Array(payload[(firstStart + first + second.position)...])
            guard secondPart.count == secondLength else { return nil }
            let parsed = Mutex<(pages: [(path: String, stamp: FileStamp, page: Page)], parseKey: String)?>(nil)
            let reading = DispatchGroup()
            DispatchQueue.global().async(group: reading) {
                var reader = RecordReader(firstPart)
                do throws(RecordReader.Damaged) {
                    try reader.readTable()
                    let parseKey = try reader.string()
                    let pages = try reader.list { r throws(RecordReader.Damaged) in (path: try r.string(), stamp: try r.stamp(), page: try r.page()) }
                    if reader.atEnd { parsed.withLock { $0 = (pages, parseKey) } }
                } catch {}
            }
            var reader = RecordReader(secondPart)
            try reader.readTable()
            let structure = try reader.digest()
            var pageDigests: [String: SiteDigests.PageDigest] = [:]
            let count = try reader.count()
            pageDigests.reserveCapacity(count)
            for _ in 0..<count {
                let route = try reader.string()
                pageDigests[route] = SiteDigests.PageDigest(own: try reader.digest(), summary: try reader.digest(), place: try reader.string())
            }
            var maps: [[String: ShortDigest]] = []
            for _ in 0..<4 {
                var map: [String: ShortDigest] = [:]
                let count = try reader.count()
                map.reserveCapacity(count)
                for _ in 0..<count { map[try reader.string()] = try reader.digest() }
                maps.append(map)
            }
            let digests = SiteDigests(structure: structure, pages: pageDigests, collections: maps[0], links: maps[1],
                                      translations: maps[2], menus: maps[3])
            let outputPaths = Set(try reader.strings())
            var check = CheckResult(diagnostics: [], checkedLinks: 0)
            var rendered: [RenderedPage] = []
            var checked = 0
            var findings: [Finding] = []
            let outputs = try reader.count()
            rendered.reserveCapacity(outputs)
            check.pageChecks.reserveCapacity(outputs)
            for _ in 0..<outputs {
                let route = try reader.string()
                let outputPath = try reader.optional { r throws(RecordReader.Damaged) in try r.string() } ?? Self.outputPath(of: route)
                var page = RenderedPage(route: route, outputPath: outputPath, html: "", source: try reader.string())
                page.sourcePath = try reader.optional { r throws(RecordReader.Damaged) in try r.string() }
                page.layout = try reader.string()
                page.reads = try reader.strings()
                let pageFindings = try reader.list { r throws(RecordReader.Damaged) in try r.finding() }
                let pageChecked = try reader.int()
                check.pageChecks[page.outputPath] = PageCheck(path: page.outputPath, findings: pageFindings, external: [], checked: pageChecked)
                check.externalByPage.append((page.outputPath, []))
                checked += pageChecked
                findings += pageFindings
                rendered.append(page)
            }
            reading.wait()
            guard reader.atEnd, let (pages, parseKey) = parsed.withLock({ $0 }) else { return nil }
            check.checkedLinks = checked
            check.diagnostics = OutputChecker.merge(findings)
            return (BuildState(digests: digests, pages: rendered, check: check, outputPaths: outputPaths), pages, parseKey)
        } catch {
            return nil
        }
    }
}
