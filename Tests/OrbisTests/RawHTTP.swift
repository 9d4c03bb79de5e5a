import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately plain HTTP/1.1 client over a socket, so tests can send exactly the bytes an attacker would.
/// Every read has a 10-second timeout, so a misbehaving server fails the test instead of hanging it.
struct RawHTTP {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    let port: UInt16

    func connect() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
        return fd
    }

    static func send(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
    }

    /// Sends exactly `text` (a whole request, head and all) and reads the status of the answer.
    func send(raw text: String) throws -> Response {
        let fd = try connect()
        defer { close(fd) }
        Self.send(fd, text)
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            data += buffer[0..<n]
        }
        let raw = String(decoding: data, as: UTF8.self)
        let status = Int(raw.split(separator: " ").dropFirst().first ?? "") ?? 0
        return Response(status: status, headers: [:], body: raw)
    }

    /// Sends `GET target` (or another method) with the given Host and reads the whole response.
    func request(_ target: String, method: String = "GET", host: String? = nil, headers: [String] = []) throws -> Response {
        let fd = try connect()
        defer { close(fd) }
        var text = "\(method) \(target) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n"
        for header in headers { text += header + "\r\n" }
        Self.send(fd, text + "\r\n")
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            data += buffer[0..<n]
        }
        let raw = String(decoding: data, as: UTF8.self)
        guard let split = raw.range(of: "\r\n\r\n") else { return Response(status: 0, headers: [:], body: raw) }
        let lines = raw[..<split.lowerBound].split(separator: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return Response(status: status, headers: headers, body: String(raw[split.upperBound...]))
    }
}

/// A Server-Sent Events connection that reads until a given event arrives.
final class EventStream {
    let fd: Int32
    var pending = ""

    /// - Parameter page: the page the stream is opened from (`location.pathname`), as the reload script says.
    init(port: UInt16, page: String? = nil) throws {
        fd = try RawHTTP(port: port).connect()
        let query = page.map { "?page=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""
        RawHTTP.send(fd, "GET /__orbis/events\(query) HTTP/1.1\r\nHost: localhost:\(port)\r\n\r\n")
    }

    deinit { close(fd) }

    /// Reads events until one named `name` arrives and returns its data; nil after 10 s without it.
    func next(_ name: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            while let end = pending.range(of: "\n\n") {
                let block = String(pending[..<end.lowerBound])
                pending = String(pending[end.upperBound...])
                var event = "", data = ""
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
                }
                if event == name { return data }
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return nil }
            pending += String(decoding: buffer[0..<n], as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        }
    }
}

/// `orbis serve` running on a free port for one test; stopped with SIGINT when the test ends.
final class ServeProcess {
    let process = Process()
    let port: UInt16
    let output = Pipe()

    private(set) var text = ""

    init(root: URL, arguments: [String] = [], environment: [String: String]? = nil) throws {
        process.executableURL = CLI.productsFolder.appendingPathComponent("orbis")
        process.arguments = ["serve", "--root", root.path, "--port", "0"] + arguments
        if let environment { process.environment = environment }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        var text = ""
        // The address, then the first build's outcome (tests request pages right away).
        while !(text.contains("Serving at ") && (text.contains("Built ") || text.contains("error: build failed") || text.contains("error: "))),
              Date() < deadline, process.isRunning {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Serving at ") }),
              let port = UInt16(line.split(separator: ":").last?.split(separator: "/").first ?? "") else {
            process.terminate()
            throw POSIXError(.ETIMEDOUT)
        }
        self.port = port
        self.text = text
    }

    /// Reads the server's terminal output until it contains `needle`; false after 10 s without it.
    func waitForOutput(containing needle: String) -> Bool {
        let fd = output.fileHandleForReading.fileDescriptor
        let deadline = Date().addingTimeInterval(10)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !text.contains(needle) {
            let left = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard left > 0, poll(&descriptor, 1, left) > 0 else { return false }
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { return false }
            text += String(decoding: buffer[0..<n], as: UTF8.self)
        }
        return true
    }

    /// Stops the server the way Ctrl-C does; returns its exit status.
    @discardableResult
    func interrupt() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGINT) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}
