import Foundation
import SiteModel
@testable import orbis
import Testing

/// `orbis --generate-completion-script SHELL` prints a completion script that the shell accepts.
@Suite struct CompletionTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func theCompletionScriptIsGeneratedAndNamesTheSubcommands(shell: String) throws {
        let result = try CLI.run(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        for command in ["build", "check", "serve"] {
            #expect(result.stdout.contains(command), "the \(shell) script does not complete '\(command)'")
        }
    }

    @Test func bashAcceptsTheBashScript() throws {
        let script = try CLI.run(["--generate-completion-script", "bash"]).stdout
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-completion-\(UUID().uuidString).bash")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        // `bash -n` parses without running; then sourcing it must define the completion for `orbis`.
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/bin/bash")
        check.arguments = ["-c", "bash -n \"$1\" && source \"$1\" && complete -p orbis", "bash", file.path]
        let output = Pipe()
        check.standardOutput = output
        check.standardError = output
        try check.run()
        check.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(check.terminationStatus == 0, "\(text)")
        #expect(text.contains("orbis"))
    }
}

/// `--format json` and `--format github`: the same diagnostics, for machines, with stable codes.
@Suite struct DiagnosticFormatTests {
    static func brokenSite() throws -> URL {
        let site = try CLI.copyFixture()
        try "---\ntitle: A\ndrfat: true\ndate: 2021-02-30\n---\n".write(to: site.appendingPathComponent("Content/a.md"), atomically: true, encoding: .utf8)
        return site
    }

    @Test func jsonLinesCarryPlaceSeverityCodeMessageAndSuggestion() throws {
        let site = try Self.brokenSite()
        defer { try? FileManager.default.removeItem(at: site) }
        let result = try CLI.run(["build", "--root", site.path, "--format", "json"])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines == [
            #"{"file":"Content/a.md","line":3,"column":1,"severity":"error","code":"page.unknown-key","message":"unknown front matter key 'drfat'; did you mean 'draft'?","suggestion":"draft"}"#,
            #"{"file":"Content/a.md","line":4,"column":7,"severity":"error","code":"page.date","message":"'date' must be a real date YYYY-MM-DD, found \"2021-02-30\""}"#,
            #"{"severity":"error","code":"site.failed","message":"build failed with 2 errors; nothing was written"}"#,
        ])
        for line in lines {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "not a JSON object: \(line)")
        }
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("Output").path))
    }

    @Test func githubAnnotationsNameTheFileLineAndColumnAndEscapeTheirData() throws {
        let site = try Self.brokenSite()
        defer { try? FileManager.default.removeItem(at: site) }
        let result = try CLI.run(["check", "--root", site.path, "--format=github"])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").first == "::error file=Content/a.md,line=3,col=1,title=page.unknown-key::unknown front matter key 'drfat'; did you mean 'draft'?")
        #expect(DiagnosticFormat.property("a,b:c%\n") == "a%2Cb%3Ac%25%0A")
    }

    @Test func anUnknownFormatIsABadArgument() throws {
        let result = try CLI.run(["build", "--format", "xml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("xml"))
    }

    /// Representative messages of each family get the code the docs promise.
    @Test(arguments: [
        ("site.yaml", "unknown key 'menus' in site.yaml; did you mean 'menu'?", "config.unknown-key"),
        ("Content/data/partners.yaml", "partner 'x': 'kind' must be one of university, faculty, found \"uni\"", "data.enum"),
        ("Content/data/programmes.yaml", "programme 'y': 'partners' refers to 'lile', which does not exist; did you mean 'lille'?", "data.reference"),
        ("Templates/page.mustache", "{{> a}} makes a cycle (partials/a → partials/a)", "template.cycle"),
        ("Templates/partials/base.mustache", "broken link 'x.css': there is no x.css in the output", "template.broken-link"),
        ("Content/index.md", "invalid YAML: did not find expected key", "page.syntax"),
        ("Content/data/people.csv", "the file is not valid UTF-8; save it as UTF-8", "data.encoding"),
    ])
    func codesFollowTheTable(file: String, message: String, code: String) {
        #expect(DiagnosticCode.code(of: .error(at: SourceLocation(file: file, line: 1, column: 1), message)) == code)
    }

    @Test func theDocsListEveryAreaAndKind() throws {
        let docs = try String(contentsOf: GlobalVisionSiteTests.repository.appendingPathComponent("docs/diagnostics.md"), encoding: .utf8)
        for (area, what) in DiagnosticCode.areas { #expect(docs.contains("| `\(area)` | \(what) |"), "\(area)") }
        for (kind, what, _) in DiagnosticCode.kinds { #expect(docs.contains("| `\(kind)` | \(what) |"), "\(kind)") }
        let listed = docs.split(separator: "\n").filter { $0.hasPrefix("| `") }.count
        #expect(listed == DiagnosticCode.areas.count + DiagnosticCode.kinds.count + 1)
    }
}
