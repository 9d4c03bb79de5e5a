/// A stable code for each kind of diagnostic, for tools that read `--format json` or `github` output:
/// `<area>.<kind>`, the area from where the problem is (site.yaml, a page, a data file, a template, the
/// string tables, the output), the kind from what it is. The table below is the one place codes are made;
/// `docs/diagnostics.md` lists them (a test keeps the two the same), and a code, once listed, keeps its
/// meaning.
public enum DiagnosticCode {
    /// Where a problem is.
    public static let areas: [(area: String, what: String)] = [
        ("config", "site.yaml"),
        ("page", "a page in Content/ (its front matter, Markdown or links)"),
        ("data", "a data file or collection in Content/data/"),
        ("template", "a template in Templates/"),
        ("strings", "a string table in Templates/strings/"),
        ("output", "the built pages (links, ids, titles and alt text the check finds)"),
        ("site", "the site as a whole (files, folders, links between them)"),
    ]

    /// What a problem is: the first kind whose phrases the message contains, in this order.
    public static let kinds: [(kind: String, what: String, phrases: [String])] = [
        ("failed", "the summary after the diagnostics: the build or check failed", ["build failed with", "check found"]),
        ("encoding", "a file that is not UTF-8 text", ["not valid UTF-8", "save it as UTF-8", "Windows-1252", "UTF-16"]),
        ("symlink", "a symbolic link that leads outside the site, nowhere, or into a loop", ["symbolic link"]),
        ("skipped", "a file that is not a regular file or folder", ["not a regular file"]),
        ("syntax", "YAML, JSON, CSV or Mustache that does not parse", ["invalid YAML", "invalid JSON", "template syntax", "unterminated", "trailing comma", "the header has", "cells, but the header"]),
        ("cycle", "a template or partial that includes itself", ["makes a cycle", "includes itself", "nested more than"]),
        ("unknown-key", "a key that is not known here (the nearest is suggested)", ["unknown key", "unknown front matter key", "unknown field type", "is not a language of the site"]),
        ("unknown-name", "a name a template uses that its context does not have", ["unknown name", "not a name", "has no value named"]),
        ("unknown-field", "a field a declaration, query or column names that the collection does not have", ["is no field", "no field of"]),
        ("reference", "a reference to a record, page or template that does not exist", ["does not exist", "which is not declared", "no record", "refers to"]),
        ("broken-link", "a link to a file or #fragment that is not in the output", ["broken link", "climbs above"]),
        ("duplicate", "the same id, key, name or route twice", ["twice", "duplicate", "is also", "also used", "also declared", "same route", "both "]),
        ("enum", "a value outside an enum's list", ["must be one of"]),
        ("date", "a date or time that is not real", ["real date"]),
        ("url", "an address with a scheme or form that is not allowed", ["https://", "http://", "javascript:", "mailto:", "decides where it leads", "URL"]),
        ("missing", "something required that is missing or empty", ["is missing", "is empty", "must not be empty", "needs", "declares no", "has no "]),
        ("accessibility", "a page without a title, a language, or alt text", ["no <title>", "no lang", "alt text", "alt="]),
        ("unsafe", "raw HTML or a value in a place where it could run script", ["raw", "{{{", "script"]),
        ("type", "a value of the wrong type or form", ["must be", "is a slug", "must hold", "is a list", "is a mapping", "maps ", "lists ", "names one field"]),
        ("output", "an output folder Orbis will not write, or could not", ["Output", "output", "--force"]),
    ]

    public static let fallbackKind = "other"

    /// The code of `diagnostic` (`page.unknown-key`, `data.enum`, `output.broken-link`, …).
    public static func code(of diagnostic: Diagnostic) -> String {
        area(of: diagnostic.location?.file) + "." + kind(of: diagnostic.message)
    }

    public static func area(of file: String?) -> String {
        guard let file else { return "site" }
        if file == "site.yaml" { return "config" }
        if file.hasPrefix("Content/data/") { return "data" }
        if file.hasPrefix("Content/") { return "page" }
        if file.hasPrefix("Templates/strings/") { return "strings" }
        if file.hasPrefix("Templates/") { return "template" }
        if file.hasSuffix(".html") || file.hasPrefix("/") { return "output" }
        return "site"
    }

    public static func kind(of message: String) -> String {
        kinds.first { $0.phrases.contains { message.contains($0) } }?.kind ?? fallbackKind
    }

    /// The name a message suggests ("…; did you mean 'draft'?" → "draft").
    public static func suggestion(in message: String) -> String? {
        guard let start = message.ranges(of: "did you mean '").last else { return nil }
        let rest = message[start.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end])
    }
}
