import Foundation
import Testing

/// `orbis serve` through the real binary: HTTP answers checked byte by byte over raw sockets, and live reload
/// followed over its Server-Sent Events stream.
/// A fixture copy served by `orbis serve`, with a reload stream already past its `hello` event.
final class LiveSite {
    let site: URL
    let server: ServeProcess
    let events: EventStream
    /// The build generation the stream said hello with.
    let first: Int

    init(arguments: [String] = []) throws {
        site = try CLI.copyFixture()
        server = try ServeProcess(root: site, arguments: arguments)
        events = try EventStream(port: server.port)
        first = Int(events.next("hello") ?? "") ?? -1
    }

    var http: RawHTTP { RawHTTP(port: server.port) }

    func write(_ path: String, _ text: String, atomically: Bool = true) throws {
        try text.write(to: site.appendingPathComponent(path), atomically: atomically, encoding: .utf8)
    }

    deinit {
        server.interrupt()
        try? FileManager.default.removeItem(at: site)
    }
}

@Suite(.serialized) struct ServeTests {
    /// A fixture copy with a canary file outside it and a symlink inside that points at the canary.
    static func siteWithCanary() throws -> (site: URL, canary: String) {
        let site = try CLI.copyFixture()
        let canary = "CANARY-\(UUID().uuidString)"
        let outside = URL(fileURLWithPath: site.path + "-canary.txt")
        try canary.write(to: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent("Content/leak.txt").path,
                                                   withDestinationPath: outside.path)
        return (site, canary)
    }

    @Test func servesPagesWithTheReloadScriptAndNeverTouchesOutput() throws {
        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        let server = try ServeProcess(root: site)
        defer { server.interrupt() }
        let http = RawHTTP(port: server.port)
        // The address is the first line, before the first build's.
        #expect(server.text.split(separator: "\n").first?.hasPrefix("Serving at http://127.0.0.1:\(server.port)/") == true, "\(server.text)")

        let home = try http.request("/")
        #expect(home.status == 200)
        #expect(home.headers["content-type"] == "text/html; charset=utf-8")
        #expect(home.body.contains(#"<h1 id="welcome">Welcome</h1>"#))
        #expect(home.body.contains("<script data-orbis-reload>"))
        #expect(home.headers["access-control-allow-origin"] == nil)
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("Output").path))

        let head = try http.request("/", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers["content-length"] == home.headers["content-length"])

        #expect(try http.request("/assets/site.css").headers["content-type"] == "text/css; charset=utf-8")
        #expect(try http.request("/programs/map.svg").headers["content-type"] == "image/svg+xml")
        #expect(try http.request("/programs/ottawa/").body.contains("Ottawa–Shanghai"))

        let etag = try #require(home.headers["etag"])
        #expect(try http.request("/", headers: ["If-None-Match: \(etag)"]).status == 304)
        let lastModified = try #require(home.headers["last-modified"])
        #expect(try http.request("/", headers: ["If-Modified-Since: \(lastModified)"]).status == 304)

        let redirect = try http.request("/programs")
        #expect(redirect.status == 301)
        #expect(redirect.headers["location"] == "/programs/")

        let missing = try http.request("/no/such/page/")
        #expect(missing.status == 404)
        #expect(missing.body.contains("<h1>Page not found</h1>"))
    }

    /// A miss under /zh/ gets the Chinese 404 page (the nearest folder's), others the site's.
    @Test func aMissingPageUnderALanguageGetsThatLanguages404Page() throws {
        let server = try ServeProcess(root: GlobalVisionSiteTests.repository)
        defer { server.interrupt() }
        let http = RawHTTP(port: server.port)
        let chinese = try http.request("/zh/no/such/page/")
        #expect(chinese.status == 404)
        #expect(chinese.body.contains("<h1>页面不存在</h1>"))
        let english = try http.request("/no/such/page/")
        #expect(english.status == 404)
        #expect(english.body.contains("<h1>Page not found</h1>"))
    }

    @Test func refusesWhatIsNotAPageOfTheSite() throws {
        let (site, canary) = try Self.siteWithCanary()
        defer {
            try? FileManager.default.removeItem(at: site)
            try? FileManager.default.removeItem(atPath: site.path + "-canary.txt")
        }
        let server = try ServeProcess(root: site)
        defer { server.interrupt() }
        let http = RawHTTP(port: server.port)
        let hostile = [
            "/../../../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%252e%252e/%252e%252e/etc/passwd",
            "/programs/..%2f..%2f..%2fetc/passwd", "/..\\..\\etc\\passwd", "/index.html%00.css", "/index.html#frag",
            "//evil.example/", "/leak.txt", "/./index.html", "*",
        ]
        for target in hostile {
            let response = try http.request(target)
            #expect([400, 404].contains(response.status), "\(target) → \(response.status)")
            #expect(!response.body.contains(canary), "\(target) leaked the canary")
            #expect(response.headers["location"] == nil, "\(target) redirected")
        }
        // An absolute-form target is refused before Hummingbird would turn it into a path under the allowed Host.
        let absolute = try http.request("http://evil.example/../../etc/passwd")
        #expect(absolute.status == 400)
        #expect(!absolute.body.contains(canary))
        #expect(try http.request("http://evil.example/leak.txt").status == 400)
        #expect(try http.request("http://127.0.0.1:\(server.port)/").status == 400)
        #expect(try http.request("/", host: "evil.example").status == 403)
        #expect(try http.request("/", host: "evil.example:\(server.port)").status == 403)
        #expect(try http.request("/__orbis/events", host: "attacker.test:\(server.port)").status == 403)
        #expect(try http.request("/", host: "localhost:\(server.port)").status == 200)
        #expect(try http.request("/", host: "[::1]:\(server.port)").status == 200)
        for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
            let response = try http.request("/", method: method)
            #expect(response.status == 405, "\(method)")
            #expect(response.headers["allow"] == "GET, HEAD")
        }
    }

    /// Edits that would crash or hang a build — a template including itself, two partials including each
    /// other, a named pipe, a folder linked into itself — leave the server running: it shows the error on the
    /// open pages, keeps serving the last good site, and reloads on the fix.
    @Test func theServerSurvivesHostileEditsAndShowsTheirErrors() throws {
        let live = try LiveSite()
        let (events, http, first) = (live.events, live.http, live.first)
        let page = try String(contentsOf: live.site.appendingPathComponent("Templates/page.mustache"), encoding: .utf8)

        try live.write("Templates/page.mustache", page + "{{> page}}")
        let cycle = try #require(events.next("errors"))
        #expect(cycle.contains("makes a cycle (page → page)"))
        #expect(try http.request("/about/").status == 200, "still serving the last good build")

        try live.write("Templates/partials/a.mustache", "{{> b}}")
        try live.write("Templates/partials/b.mustache", "{{> a}}")
        try live.write("Templates/page.mustache", page + "{{> a}}")
        #expect(try #require(events.next("errors")).contains("makes a cycle (partials/a → partials/b → partials/a)"))

        try FileManager.default.removeItem(at: live.site.appendingPathComponent("Templates/partials/a.mustache"))
        try FileManager.default.removeItem(at: live.site.appendingPathComponent("Templates/partials/b.mustache"))
        try live.write("Templates/page.mustache", page)
        #expect(events.next("reload") == String(first + 1))

        try HostileInputTests.shell("mkfifo Content/pipe && ln -s . Content/self", in: live.site)
        #expect(try #require(events.next("errors")).contains("Content/self: error: is a symbolic link to a folder that contains it"))
        try FileManager.default.removeItem(at: live.site.appendingPathComponent("Content/self"))
        try live.write("Content/about.md", "---\ntitle: About\n---\nBack.\n")
        #expect(events.next("reload") == String(first + 2), "a named pipe is skipped, never read")
        #expect(try http.request("/about/").body.contains("Back."))
        #expect(live.server.process.isRunning)
    }

    /// What RFC 9112 says a server must refuse is answered 400, and the server goes on serving.
    @Test func malformedRequestsAreRefusedWith400() throws {
        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        let server = try ServeProcess(root: site)
        defer { server.interrupt() }
        let http = RawHTTP(port: server.port)
        let host = "127.0.0.1:\(server.port)"
        let requests = [
            "GET / HTTP/1.1\r\nHost: \(host)\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: \(host)\r\nHost: \(host)\r\nConnection: close\r\n\r\n",
            "GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
            "GET http://\(host)/ HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: \(host)\r\nTransfer-Encoding: xchunked\r\nConnection: close\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: \(host)\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\nConnection: close\r\n\r\n0\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: \(host)\r\nContent-Length: 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab",
        ]
        for request in requests {
            let response = try http.send(raw: request)
            #expect(response.status == 400, "\(request.debugDescription) → \(response.body.prefix(80))")
        }
        #expect(try http.request("/").status == 200, "still serving")
    }

    @Test func reloadsAfterEditsShowsErrorsAndRecovers() throws {
        let live = try LiveSite()
        let (server, events, http, first) = (live.server, live.events, live.http, live.first)

        try live.write("Content/about.md", "---\ntitle: About\n---\nFreshly edited.\n", atomically: false)
        #expect(events.next("reload") == String(first + 1))
        #expect(try http.request("/about/").body.contains("Freshly edited."))

        try live.write("Content/about.md", "---\ntitle: About\ndate: 2024-02-30\n---\nBroken <edit>.\n", atomically: false)
        let errors = try #require(events.next("errors"))
        #expect(errors.contains(#"Content/about.md:3:7: error: 'date' must be a real date YYYY-MM-DD, found \"2024-02-30\""#))
        let stillGood = try http.request("/about/")
        #expect(stillGood.status == 200)
        #expect(stillGood.body.contains("Freshly edited."))

        let late = try EventStream(port: server.port)
        #expect(late.next("errors") != nil, "a page opened while the build is broken sees the errors too")

        try live.write("Content/about.md", "---\ntitle: About\n---\nFixed again.\n")
        #expect(events.next("reload") == String(first + 2))
        #expect(try http.request("/about/").body.contains("Fixed again."))
        #expect(server.interrupt() == 0)
    }

    /// The version a served page carries (`var g=N` in its reload script).
    static func version(of html: String) -> String? {
        html.range(of: "var g=").map { String(html[$0.upperBound...].prefix { $0.isNumber }) }
    }

    /// A page open in a browser is rendered first and shown before the rest of the site is rebuilt: its
    /// stream is told to reload at once, the page it then gets has the edit, and the rebuild's own reload
    /// (to every page) names the version it already has. Other pages get the edit with the whole site.
    @Test func theOpenPageIsShownFirstThenTheWholeSite() throws {
        let live = try LiveSite()
        let (server, http) = (live.server, live.http)
        let open = try EventStream(port: server.port, page: "/about/")
        let before = try #require(open.next("hello"))
        #expect(Self.version(of: try http.request("/about/").body) == before)

        try live.write("Templates/page.mustache", try String(contentsOf: live.site.appendingPathComponent("Templates/page.mustache"), encoding: .utf8)
            .replacingOccurrences(of: "<h1>", with: "<h1 class=\"edited\">"))
        let shown = try #require(open.next("reload"))
        #expect(shown != before)
        let page = try http.request("/about/")
        #expect(page.body.contains(#"<h1 class="edited">About</h1>"#))
        #expect(Self.version(of: page.body) == shown)
        // The rebuild's reload, to every page: the open one already has that version.
        #expect(open.next("reload") == shown)
        #expect(live.events.next("reload") == shown)
        let other = try http.request("/programs/ottawa/")
        #expect(other.body.contains(#"<h1 class="edited">"#))
        #expect(Self.version(of: other.body) == shown)
        #expect(server.interrupt() == 0)
    }

    /// When the rebuild fails after its open pages were shown, they go back to the last good build (their
    /// streams are told to reload to its version) and show the errors; the next good build is a new version.
    @Test func anOpenPageShownFirstGoesBackWhenTheRebuildFails() throws {
        let live = try LiveSite()
        let (server, http) = (live.server, live.http)
        let open = try EventStream(port: server.port, page: "/about/")
        let before = try #require(open.next("hello"))
        let template = try String(contentsOf: live.site.appendingPathComponent("Templates/page.mustache"), encoding: .utf8)

        // A link to nowhere on every page: the page renders, the check fails.
        try live.write("Templates/page.mustache", template.replacingOccurrences(of: "<h1>", with: "<a href=\"/nowhere/\">x</a><h1>"))
        let shown = try #require(open.next("reload"))
        #expect(shown != before)
        #expect(open.next("reload") == before, "back to the last good build")
        let errors = try #require(open.next("errors"))
        #expect(errors.contains("/nowhere/"), "\(errors)")
        let page = try http.request("/about/")
        #expect(!page.body.contains("/nowhere/"))
        #expect(Self.version(of: page.body) == before)
        let reopened = try EventStream(port: server.port, page: "/about/")
        #expect(reopened.next("hello") == before)

        try live.write("Templates/page.mustache", template.replacingOccurrences(of: "<h1>", with: "<h1 class=\"fixed\">"))
        let fixed = try #require(open.next("reload"))
        #expect(fixed != before && fixed != shown)
        #expect(try http.request("/about/").body.contains(#"<h1 class="fixed">About</h1>"#))
        #expect(server.interrupt() == 0)
    }

    @Test func watchesNewFoldersRenamesAndDeletes() throws {
        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        let server = try ServeProcess(root: site)
        defer { server.interrupt() }
        let http = RawHTTP(port: server.port)
        let events = try EventStream(port: server.port)
        var generation = try #require(Int(events.next("hello") ?? ""))

        let news = site.appendingPathComponent("Content/news")
        try FileManager.default.createDirectory(at: news, withIntermediateDirectories: true)
        try "---\ntitle: Visit\n---\nNews.\n".write(to: news.appendingPathComponent("visit.md"), atomically: false, encoding: .utf8)
        generation += 1
        #expect(events.next("reload").flatMap(Int.init).map { $0 >= generation } == true)
        generation = 0
        #expect(try http.request("/news/visit/").status == 200)

        let nested = news.appendingPathComponent("2026")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        _ = events.next("reload")
        try "---\ntitle: Deep\n---\n".write(to: nested.appendingPathComponent("deep.md"), atomically: false, encoding: .utf8)
        _ = events.next("reload")
        #expect(try http.request("/news/2026/deep/").status == 200)

        let temporary = site.appendingPathComponent("Content/.about.md.tmp")
        try "---\ntitle: About\n---\nSaved atomically.\n".write(to: temporary, atomically: false, encoding: .utf8)
        _ = rename(temporary.path, site.appendingPathComponent("Content/about.md").path)
        _ = events.next("reload")
        #expect(try http.request("/about/").body.contains("Saved atomically."))

        try FileManager.default.removeItem(at: news.appendingPathComponent("visit.md"))
        _ = events.next("reload")
        #expect(try http.request("/news/visit/").status == 404)
    }

    @Test func aBurstOfSavesGivesOneRebuild() throws {
        // A quiet time well above the time 50 saves take, even on a busy CI machine.
        let live = try LiveSite(arguments: ["--debounce", "300"])
        for i in 1...50 { try live.write("Content/about.md", "---\ntitle: About\n---\nSave \(i).\n") }
        #expect(live.events.next("reload") == String(live.first + 1))
        try live.write("Content/about.md", "---\ntitle: About\n---\nOne more.\n")
        #expect(live.events.next("reload") == String(live.first + 2), "the burst of 50 saves caused more than one rebuild")
    }

    @Test func pollingFindsChangesToo() throws {
        let live = try LiveSite(arguments: ["--poll"])
        try live.write("Content/about.md", "---\ntitle: About\n---\nPolled.\n")
        #expect(live.events.next("reload") == String(live.first + 1))
        #expect(try live.http.request("/about/").body.contains("Polled."))
    }

    @Test func stopsOnInterruptWithOpenReloadConnections() throws {
        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        let server = try ServeProcess(root: site)
        let streams = try (0..<5).map { _ in try EventStream(port: server.port) }
        for stream in streams { #expect(stream.next("hello") != nil) }
        #expect(server.interrupt() == 0)
    }

    /// Ctrl-C while a rebuild is writing the site: serve waits for it and then removes its private folders,
    /// leaving nothing in TMPDIR (the rebuild used to go on writing into the folder being removed).
    @Test func stoppingDuringARebuildLeavesNothingInTheTemporaryFolder() throws {
        let site = try ProgressTests.bigSite()
        defer { ProgressTests.remove(site) }
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-tmpdir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temporary) }
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = temporary.path
        let server = try ServeProcess(root: site, environment: environment)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).count == 1, "serve's private folders are in TMPDIR")
        let open = try EventStream(port: server.port, page: "/p/p1/")
        #expect(open.next("hello") != nil)
        // A template edit changes all 1,100 pages; the open page is shown first, while the rest is being built.
        try #"<!doctype html><html lang="en"><title>{{page.title}}</title><p>{{page.title}}</p></html>"#
            .write(to: site.appendingPathComponent("Templates/page.mustache"), atomically: true, encoding: .utf8)
        #expect(open.next("reload") != nil)
        #expect(server.interrupt() == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path) == [])
        // It said why it did not stop at once, unless the rebuild had ended first (its "Built" line).
        _ = server.waitForOutput(containing: "\u{0}")
        #expect(server.text.contains("Stopping when the rebuild in progress has finished writing\n")
                || server.text.components(separatedBy: "\nBuilt ").count == 3, "\(server.text)")
    }

    @Test func aPortInUseIsAClearErrorWithExitCode2() throws {
        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        let server = try ServeProcess(root: site)
        defer { server.interrupt() }
        let second = try CLI.run(["serve", "--root", site.path, "--port", String(server.port)])
        #expect(second.status == 2)
        #expect(second.stderr.contains("error: 127.0.0.1:\(server.port) is already in use; stop the other server or pass --port N"))
    }

    @Test func closesIdleConnectionsButKeepsReloadStreams() throws {
        let live = try LiveSite(arguments: ["--idle-timeout", "1"])
        let idle = try live.http.connect()
        defer { close(idle) }
        var byte: UInt8 = 0
        // The server closes the silent connection (0) long before the client's own 10 s read timeout (-1).
        #expect(recv(idle, &byte, 1, 0) == 0)
        // The reload stream has been open longer than the idle timeout and still works.
        try live.write("Content/about.md", "---\ntitle: About\n---\nStill connected.\n")
        #expect(live.events.next("reload") == String(live.first + 1))
    }

    @Test func openStartsTheBrowserOnTheServedURL() throws {
        let site = try CLI.copyFixture()
        defer { try? FileManager.default.removeItem(at: site) }
        // A stand-in for xdg-open, first on PATH, that reports what it was asked to open.
        let bin = site.appendingPathComponent(".bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let fake = bin.appendingPathComponent("xdg-open")
        try "#!/bin/sh\necho \"xdg-open was asked to open $1\"\n".write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        let server = try ServeProcess(root: site, arguments: ["--open"], environment: environment)
        defer { server.interrupt() }
        #expect(server.waitForOutput(containing: "xdg-open was asked to open http://127.0.0.1:\(server.port)/\n"))
    }
}
