import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `orbis check --online`: requests each external link (HEAD, then GET when HEAD is refused), eight at a time.
enum ExternalLinks {
    /// The links that failed, with why, sorted by URL.
    static func check(_ urls: [String]) async -> [(String, String)] {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 15
        let session = URLSession(configuration: configuration)
        var failures: [(String, String)] = []
        await withTaskGroup(of: (String, String?).self) { group in
            var pending = urls.sorted()[...]
            func next() {
                guard let url = pending.popFirst() else { return }
                group.addTask { (url, await problem(with: url, session: session)) }
            }
            for _ in 0..<8 { next() }
            for await (url, problem) in group {
                if let problem { failures.append((url, problem)) }
                next()
            }
        }
        return failures.sorted { $0.0 < $1.0 }
    }

    static func problem(with text: String, session: URLSession) async -> String? {
        guard let url = URL(string: text.hasPrefix("//") ? "https:" + text : text) else { return "is not a valid URL" }
        var lastStatus = 0
        for method in ["HEAD", "GET"] {
            var request = URLRequest(url: url)
            request.httpMethod = method
            request.setValue("orbis-check", forHTTPHeaderField: "User-Agent")
            do {
                let (_, response) = try await session.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if (200..<400).contains(status) { return nil }
                lastStatus = status
            } catch {
                if method == "GET" { return "cannot be reached: \(error.localizedDescription)" }
            }
        }
        return "answered HTTP \(lastStatus)"
    }
}
