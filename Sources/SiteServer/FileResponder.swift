import Foundation
import Hummingbird
import SiteBuild

/// Answers preview requests: only GET and HEAD, only for an allowed `Host`, only regular files inside the
/// site being served. HTML gets the reload script; everything gets `ETag`/`Last-Modified` and 304 answers.
struct FileResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let state: PreviewState
    /// `Host` values accepted (DNS-rebinding defence), e.g. `localhost:8000`.
    let allowedHosts: @Sendable () -> Set<String>

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            var headers = HTTPFields()
            headers[.allow] = "GET, HEAD"
            return Self.text(.methodNotAllowed, "405 Method Not Allowed: only GET and HEAD\n", headers: headers)
        }
        guard let host = request.head.authority?.lowercased(), allowedHosts().contains(host) else {
            return Self.text(.forbidden, "403 Forbidden: unexpected Host header\n")
        }
        // Hummingbird's HTTP/1 layer turns an absolute-form target (`GET http://host/x HTTP/1.1`) into the path
        // `/x` with the Host header as authority, so such requests are checked like any other.
        guard let path = RequestPath.decode(request.head.path ?? "") else {
            return Self.text(.badRequest, "400 Bad Request\n")
        }
        if path == ReloadScript.eventsPath { return events(page: Self.query("page", in: request.head.path ?? "")) }
        guard let folder = state.folder else {
            // The first build is running (or failed: the reload script then shows its errors); this page
            // reloads by itself once there is a site.
            let page = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Building the site…</title></head>"
                + "<body><p>Orbis is building the site; this page reloads when it is ready.</p></body></html>\n"
            var response = Self.body(.serviceUnavailable, Array(ReloadScript.inject(into: page, generation: 0).utf8),
                                     type: "text/html; charset=utf-8", head: request.method == .head)
            response.headers[.retryAfter] = "1"
            return response
        }
        if let output = PreviewState.outputPath(ofPage: path), let early = state.earlyPage(output) {
            // A page the build under way has made, shown before the build ends.
            var headers = HTTPFields()
            headers[.cacheControl] = "no-store"
            return Self.body(.ok, Array(ReloadScript.inject(into: early.html, generation: early.version).utf8),
                             type: "text/html; charset=utf-8", head: request.method == .head, headers: headers)
        }
        let generation = state.generation
        switch SiteFiles.lookup(path, in: folder) {
        case .file(let url):
            return try fileResponse(url, request: request, generation: generation)
        case .directoryWithoutSlash:
            var headers = HTTPFields()
            headers[.location] = path + "/"
            return Response(status: .movedPermanently, headers: headers, body: .init())
        case .notFound:
            // The nearest enclosing folder's 404 page: /zh/… misses get zh/404.html, others 404.html.
            var folders = path.split(separator: "/").dropLast().map(String.init)
            var found: Data?
            while found == nil {
                let candidate = (folders + ["404.html"]).reduce(URL(fileURLWithPath: folder)) { $0.appendingPathComponent($1) }
                found = try? Data(contentsOf: candidate)
                if folders.isEmpty { break }
                folders.removeLast()
            }
            if let data = found {
                let html = ReloadScript.inject(into: String(decoding: data, as: UTF8.self), generation: generation)
                return Self.body(.notFound, Array(html.utf8), type: "text/html; charset=utf-8", head: request.method == .head)
            }
            return Self.text(.notFound, "404 Not Found\n")
        }
    }

    /// The value of `name` in a request target's query (`/x?page=%2Fa%2F`), percent-decoded.
    static func query(_ name: String, in target: String) -> String? {
        guard let query = target.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix(name + "=") {
            return String(pair.dropFirst(name.count + 1)).removingPercentEncoding
        }
        return nil
    }

    /// A Server-Sent Events stream that ends when the page goes away or the server shuts down. `page`: the
    /// browser's `location.pathname` (the reload script sends it), so that a rebuild can show that page first.
    func events(page: String?) -> Response {
        let (id, stream) = state.subscribe(page: page.flatMap(PreviewState.outputPath(ofPage:)))
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let state = self.state
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            defer { state.unsubscribe(id) }
            for await event in stream.cancelOnGracefulShutdown() {
                try await writer.write(ByteBuffer(string: event))
            }
            try await writer.finish(nil)
        })
    }

    func fileResponse(_ url: URL, request: Request, generation: Int) throws -> Response {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        let modified = (attributes[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let type = ContentType.forPath(url.path)
        let isHTML = type.hasPrefix("text/html")
        let etag = "\"\(size)-\(Int(modified.timeIntervalSince1970 * 1000))\(isHTML ? "-g\(generation)" : "")\""
        var headers = HTTPFields()
        headers[.eTag] = etag
        headers[.lastModified] = HTTPDate.format(modified)
        headers[.cacheControl] = "no-cache"
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) {
            return Response(status: .notModified, headers: headers, body: .init())
        }
        if request.headers[.ifNoneMatch] == nil, let since = request.headers[.ifModifiedSince].flatMap(HTTPDate.parse),
           Int(modified.timeIntervalSince1970) <= Int(since.timeIntervalSince1970) {
            return Response(status: .notModified, headers: headers, body: .init())
        }
        var bytes = [UInt8](try Data(contentsOf: url))
        if isHTML {
            bytes = Array(ReloadScript.inject(into: String(decoding: bytes, as: UTF8.self), generation: generation).utf8)
        }
        return Self.body(.ok, bytes, type: type, head: request.method == .head, headers: headers)
    }

    static func body(_ status: HTTPResponse.Status, _ bytes: [UInt8], type: String, head: Bool,
                     headers: HTTPFields = HTTPFields()) -> Response {
        var headers = headers
        headers[.contentType] = type
        headers[.contentLength] = String(bytes.count)
        return Response(status: status, headers: headers,
                        body: head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func text(_ status: HTTPResponse.Status, _ text: String, headers: HTTPFields = HTTPFields()) -> Response {
        body(status, Array(text.utf8), type: "text/plain; charset=utf-8", head: false, headers: headers)
    }
}

/// Turns a request target into a safe site path, or nil for a target that must be refused.
enum RequestPath {
    /// Accepts only origin-form targets (`/a/b?q`). Refuses absolute-form targets, `#`, backslashes, NUL bytes,
    /// `.` and `..` segments (also percent-encoded or double-encoded), and `//` at the start.
    static func decode(_ target: String) -> String? {
        guard target.hasPrefix("/"), !target.hasPrefix("//"), !target.contains("#"), !target.contains("\\") else { return nil }
        let raw = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard let decoded = raw.removingPercentEncoding, !decoded.contains("\0"), !decoded.contains("\\"),
              !decoded.contains("%"), !decoded.hasPrefix("//") else { return nil }
        for segment in decoded.split(separator: "/", omittingEmptySubsequences: false) where segment == "." || segment == ".." {
            return nil
        }
        return decoded
    }
}

/// Finds the file for a site path, never outside the served folder (symlinks included).
enum SiteFiles {
    enum Lookup: Equatable {
        case file(URL)
        case directoryWithoutSlash
        case notFound
    }

    static func lookup(_ path: String, in folder: String) -> Lookup {
        let base = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        var candidate = base + path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) else { return .notFound }
        if isDirectory.boolValue {
            guard path.hasSuffix("/") else { return .directoryWithoutSlash }
            candidate += "index.html"
        }
        let resolved = URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path
        guard resolved.hasPrefix(base + "/") else { return .notFound }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved),
              attributes[.type] as? FileAttributeType == .typeRegular else { return .notFound }
        return .file(URL(fileURLWithPath: resolved))
    }
}

/// `Content-Type` by file extension.
enum ContentType {
    static let types: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "json": "application/json", "xml": "application/xml", "svg": "image/svg+xml", "png": "image/png",
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp", "avif": "image/avif",
        "ico": "image/x-icon", "woff2": "font/woff2", "woff": "font/woff", "txt": "text/plain; charset=utf-8",
        "pdf": "application/pdf", "map": "application/json",
    ]

    static func forPath(_ path: String) -> String {
        let ext = (path as NSString).pathExtension.lowercased()
        return types[ext] ?? "application/octet-stream"
    }
}

/// HTTP dates (`Sun, 06 Nov 1994 08:49:37 GMT`).
enum HTTPDate {
    static func formatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }

    static func format(_ date: Date) -> String { formatter().string(from: date) }
    static func parse(_ text: String) -> Date? { formatter().date(from: text) }
}
