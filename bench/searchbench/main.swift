// Search's extraction and index, timed in one process over a built site's HTML (minimums of N rounds), for
// profiling: `ORBIS_SEARCHBENCH=1 swift build -c release --product searchbench --build-path .build-sb`, then
// `.build-sb/release/searchbench OUTPUT [ROUNDS] [THREADS]` (DUMP=DIR writes the index there, to compare).
import Foundation
import SiteSearch
import SiteModel

@main struct SearchBench {
    static func main() throws {
        let root = CommandLine.arguments[1]
        let rounds = Int(CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : "5")!
        let threads = Int(CommandLine.arguments.count > 3 ? CommandLine.arguments[3] : "2")!
        var htmls: [(String, String)] = []
        let e = FileManager.default.enumerator(atPath: root)!
        while let p = e.nextObject() as? String {
            if p.hasSuffix(".html") && !p.hasSuffix("404.html") { htmls.append((p, try String(contentsOfFile: root + "/" + p, encoding: .utf8))) }
        }
        htmls.sort { $0.0 < $1.0 }
        var bestExtract = Double.infinity, bestIndex = Double.infinity
        var docs: [SearchDocument] = []
        for _ in 0..<rounds {
            let t0 = Date()
            docs = parallelMap(htmls, threads: threads) { SearchDocument.extract(html: $0.1, path: $0.0, language: "en")! }
            let t1 = Date()
            let files = SearchIndex.files(docs, languages: ["en"], threads: threads)
            let t2 = Date()
            bestExtract = min(bestExtract, t1.timeIntervalSince(t0)); bestIndex = min(bestIndex, t2.timeIntervalSince(t1))
            if rounds == 1 { print(files.count, files.reduce(0) { $0 + $1.count }) }
        }
        print(String(format: "pages %d  extract %.0f ms  index %.0f ms  (min of %d, %d threads)", htmls.count, bestExtract * 1000, bestIndex * 1000, rounds, threads))
        if let out = ProcessInfo.processInfo.environment["DUMP"] {
            let files = SearchIndex.files(docs, languages: ["en"], threads: threads)
            for f in files {
                let url = URL(fileURLWithPath: out + "/" + f.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try f.withBytes { try Data($0).write(to: url) }
            }
        }
    }
}
