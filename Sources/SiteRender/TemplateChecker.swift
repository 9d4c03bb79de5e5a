import SiteModel

/// Checks the site's templates before anything renders: raw output only for engine-made HTML, every partial
/// and parent exists, no template includes itself (directly or through others), every `{{name}}`, section
/// and inverted section names something the layout really receives, and every value lands where HTML
/// escaping makes it safe (`HTMLContext`) — walked from each layout with the shape of its context, through
/// its partials, parents and blocks, in the order they render. Each problem is reported once, at the
/// template (partial or layout) where it is written, with the nearest valid name.
struct TemplateChecker {
    struct Parsed {
        var source: TemplateSource
        var nodes: [TemplateNode]
    }

    let templates: [String: Parsed]
    private(set) var diagnostics: [Diagnostic] = []
    private var reported: Set<Diagnostic> = []

    init(templates: [String: Parsed]) {
        self.templates = templates
    }

    private mutating func report(_ file: String, _ node: TemplateNode, _ message: String) {
        let diagnostic = Diagnostic.error(at: SourceLocation(file: file, line: node.line, column: node.column), message)
        if reported.insert(diagnostic).inserted { diagnostics.append(diagnostic) }
    }

    /// Checks that need no context, on every template (used or not).
    mutating func checkTags() {
        let partials = templates.values.filter(\.source.isPartial).map(\.source.name).sorted()
        for template in templates.values.sorted(by: { $0.source.path < $1.source.path }) {
            visit(template.nodes) { node in
                switch node.kind {
                case .partial, .parent:
                    if templates[node.name] == nil {
                        report(template.source.path, node, "partial '\(node.name)' does not exist"
                            + Suggestion.didYouMean(node.name, in: partials, otherwise: "; add Templates/partials/\(node.name).mustache"))
                    }
                default: break
                }
            }
        }
    }

    private func visit(_ nodes: [TemplateNode], _ body: (TemplateNode) -> Void) {
        for node in nodes {
            body(node)
            switch node.kind {
            case .section(_, let children), .block(let children): visit(children, body)
            case .parent(let blocks): visit(blocks, body)
            default: break
            }
        }
    }

    /// Walks the layout `name` with `root` as what it receives. `elsewhere` is what other kinds of pages
    /// receive (for a better message when a name belongs to another kind of page).
    mutating func check(layout name: String, root: [String: ContextShape], elsewhere: Set<String>, usedBy: String) {
        guard let template = templates[name] else { return }
        var walk = Walk(checker: self, root: root, elsewhere: elsewhere, usedBy: usedBy)
        walk.nodes(template.nodes, file: template.source.path, stack: [.object(root)], chain: [name], overrides: [:], inSequence: false)
        self = walk.checker
    }

    /// One walk from a layout: the context stack, the chain of templates being included, the blocks overridden.
    private struct Walk {
        var checker: TemplateChecker
        let root: [String: ContextShape]
        let elsewhere: Set<String>
        let usedBy: String
        /// Where in the HTML the walk has got to.
        var html = HTMLContext()

        init(checker: TemplateChecker, root: [String: ContextShape], elsewhere: Set<String>, usedBy: String) {
            self.checker = checker
            self.root = root
            self.elsewhere = elsewhere
            self.usedBy = usedBy
        }

        typealias Overrides = [String: (nodes: [TemplateNode], file: String)]

        mutating func nodes(_ nodes: [TemplateNode], file: String, stack: [ContextShape], chain: [String],
                            overrides: Overrides, inSequence: Bool) {
            for node in nodes {
                switch node.kind {
                case .text(let text):
                    html.feed(text)
                case .variable(let escaped):
                    let shape = resolve(node, file: file, stack: stack, inSequence: inSequence)
                    if !escaped, let shape, shape != .html {
                        // Only HTML the engine made may go in as it is; anything else could add a script.
                        checker.report(file, node, "'\(node.name)' is inserted without HTML escaping; write {{\(node.name)}} (only HTML the engine made may be: \(TemplateSet.rawHTMLNames.sorted().joined(separator: ", ")) and a collection's markdown fields)")
                    } else if let shape {
                        checkPlace(node, shape, escaped: escaped, file: file)
                    }
                    html.valueInserted()
                case .section(let inverted, let children):
                    guard let shape = resolve(node, file: file, stack: stack, inSequence: inSequence) else {
                        // Reported once; what is inside is checked without knowing what it iterates.
                        self.nodes(children, file: file, stack: stack + [.any], chain: chain, overrides: overrides, inSequence: true)
                        continue
                    }
                    if inverted {
                        self.nodes(children, file: file, stack: stack, chain: chain, overrides: overrides, inSequence: inSequence)
                    } else if case .list(let item) = shape {
                        self.nodes(children, file: file, stack: stack + [item], chain: chain, overrides: overrides, inSequence: true)
                    } else {
                        self.nodes(children, file: file, stack: stack + [shape], chain: chain, overrides: overrides, inSequence: inSequence)
                    }
                case .partial:
                    guard let partial = include(node, file: file, chain: chain) else { continue }
                    self.nodes(partial.nodes, file: partial.source.path, stack: stack, chain: chain + [node.name],
                               overrides: overrides, inSequence: false)
                case .parent(let blocks):
                    guard let parent = include(node, file: file, chain: chain) else { continue }
                    var merged = overrides
                    let expanded = Self.blockNames(in: parent.nodes, templates: checker.templates, seen: [node.name])
                    for block in blocks {
                        guard case .block(let children) = block.kind else { continue }
                        if !expanded.contains(block.name) {
                            checker.report(file, block, "block '\(block.name)' is not in \(parent.source.path), so what it holds is never shown"
                                + Suggestion.didYouMean(block.name, in: expanded.sorted(), otherwise: expanded.isEmpty ? "" : "; its blocks are \(expanded.sorted().joined(separator: ", "))"))
                        }
                        if merged[block.name] == nil { merged[block.name] = (children, file) }
                    }
                    self.nodes(parent.nodes, file: parent.source.path, stack: stack, chain: chain + [node.name],
                               overrides: merged, inSequence: false)
                case .block(let children):
                    if let override = overrides[node.name] {
                        self.nodes(override.nodes, file: override.file, stack: stack, chain: chain, overrides: overrides, inSequence: inSequence)
                    } else {
                        self.nodes(children, file: file, stack: stack, chain: chain, overrides: overrides, inSequence: inSequence)
                    }
                }
            }
        }

        /// The template a partial or parent tag names, unless it is missing (reported by `checkTags`) or is
        /// already being included (a cycle: reported here, naming it).
        private mutating func include(_ node: TemplateNode, file: String, chain: [String]) -> Parsed? {
            guard let template = checker.templates[node.name] else { return nil }
            if let start = chain.firstIndex(of: node.name) {
                let names = (chain[start...] + [node.name]).map { name in
                    checker.templates[name].map { $0.source.isPartial ? "partials/\(name)" : name } ?? name
                }
                checker.report(file, node, "\(node.written) makes a cycle (\(names.joined(separator: " → "))): a template cannot include itself, directly or through others; remove one of these includes")
                return nil
            }
            return template
        }

        /// The blocks a parent (and the partials and parents it uses) can expand.
        static func blockNames(in nodes: [TemplateNode], templates: [String: Parsed], seen: Set<String>) -> Set<String> {
            var names: Set<String> = []
            for node in nodes {
                switch node.kind {
                case .block(let children):
                    names.insert(node.name)
                    names.formUnion(blockNames(in: children, templates: templates, seen: seen))
                case .section(_, let children):
                    names.formUnion(blockNames(in: children, templates: templates, seen: seen))
                case .partial, .parent:
                    if !seen.contains(node.name), let template = templates[node.name] {
                        names.formUnion(blockNames(in: template.nodes, templates: templates, seen: seen.union([node.name])))
                    }
                default: break
                }
            }
            return names
        }

        /// The shape of what `node` names at this point, or nil (reported) when it names nothing.
        private mutating func resolve(_ node: TemplateNode, file: String, stack: [ContextShape], inSequence: Bool) -> ContextShape? {
            var shape: ContextShape
            if node.name.isEmpty {
                // `{{first()}}`, `{{#last()}}`: the position in the list being iterated.
                guard let transform = node.transforms.last, node.transforms.count == 1,
                      Self.sequenceTransforms.contains(transform) else {
                    checker.report(file, node, "\(node.written) names no value; write a name, like {{page.title}}")
                    return nil
                }
                guard inSequence else {
                    checker.report(file, node, "\(node.written) is only meaningful inside a section over a list, like {{#pages}}…{{/pages}}")
                    return nil
                }
                return node.transforms.last == "index" ? .number : .bool
            }
            if node.name == "." {
                shape = stack.last ?? .any
            } else {
                let strict = node.name.hasPrefix(".")
                let parts = node.name.split(separator: ".", omittingEmptySubsequences: true).map(String.init)
                guard let first = parts.first else {
                    checker.report(file, node, "\(node.written) names no value")
                    return nil
                }
                var found: ContextShape?
                for frame in (strict ? [stack.last ?? .any] : stack.reversed()) {
                    if case .any = frame { found = .any; break }
                    if case .object(let fields) = frame, let field = fields[first] { found = field; break }
                }
                guard var current = found else {
                    checker.report(file, node, unknownRoot(first, node: node, stack: stack))
                    return nil
                }
                var path = first
                for part in parts.dropFirst() {
                    switch current {
                    case .any:
                        break
                    case .unavailable(let reason):
                        checker.report(file, node, "'\(node.name)': \(reason)")
                        return nil
                    case .object(let fields):
                        guard let field = fields[part] else {
                            checker.report(file, node, "'\(node.name)': \(path) has no '\(part)'"
                                + Suggestion.didYouMean(part, in: fields.keys.sorted(), otherwise: fields.isEmpty ? "" : " (it has \(fields.keys.sorted().joined(separator: ", ")))"))
                            return nil
                        }
                        current = field
                    case .list:
                        checker.report(file, node, "'\(node.name)': \(path) is a list; go through its items with {{#\(path)}}…{{/\(path)}}")
                        return nil
                    case .scalar:
                        checker.report(file, node, "'\(node.name)': \(path) is a single value, so it has no '\(part)'")
                        return nil
                    }
                    path += "." + part
                }
                if case .unavailable(let reason) = current {
                    checker.report(file, node, "'\(node.name)': \(reason)")
                    return nil
                }
                shape = current
            }
            for transform in node.transforms.reversed() {
                guard let next = Self.apply(transform, to: shape) else {
                    let known = Self.transforms(for: shape)
                    checker.report(file, node, "\(node.written): '\(transform)' cannot be applied to \(Self.describe(shape))"
                        + Suggestion.didYouMean(transform, in: known, otherwise: known.isEmpty ? "" : " (it takes \(known.joined(separator: ", ")))"))
                    return nil
                }
                shape = next
            }
            return shape
        }

        private func unknownRoot(_ name: String, node: TemplateNode, stack: [ContextShape]) -> String {
            var visible: Set<String> = []
            for frame in stack { visible.formUnion(frame.names) }
            if elsewhere.contains(name) && !visible.contains(name) {
                return "'\(name)' is not given to the pages that use this template (\(usedBy)); only other kinds of pages receive it"
            }
            let names = visible.sorted()
            return "unknown name '\(node.name)'" + Suggestion.didYouMean(name, in: names,
                otherwise: "; here a template can use \(names.joined(separator: ", "))")
        }

        /// Attributes whose value is a URL: what starts it decides where it leads (a `javascript:` URL runs).
        static let urlAttributes: Set<String> = [
            "href", "src", "srcset", "imagesrcset", "action", "formaction", "poster", "cite", "data", "background",
            "ping", "manifest", "xlink:href", "codebase", "longdesc", "usemap", "icon", "lowsrc", "dynsrc", "archive",
            "classid", "profile",
        ]

        /// Whether a value of `shape` may land where the HTML has got to.
        private mutating func checkPlace(_ node: TemplateNode, _ shape: ContextShape, escaped: Bool, file: String) {
            let kind: ScalarKind = if case .scalar(let kind) = shape { kind } else { .text }
            let harmless = kind == .number || kind == .bool
            let written = node.written
            switch html.place {
            case .text:
                return
            case .comment:
                return
            case .script(let type):
                if !escaped && node.name == "json_ld" && type == "application/ld+json" { return }
                if escaped && harmless { return }
                checker.report(file, node, "\(written) is inside <script>, where HTML escaping does not make a value safe (a quote or </script> in it ends the script's text); put the value in a data- attribute and read it from the script, or use a number")
            case .style:
                if escaped && harmless { return }
                checker.report(file, node, "\(written) is inside <style>, where HTML escaping does not make a value safe; use a class for each case instead")
            case .tagOrAttributeName:
                checker.report(file, node, "\(written) is where a tag or attribute name goes, so it could add any attribute (an onclick, say); write values only inside quoted attribute values, like title=\"\(written)\"")
            case .unquotedAttribute(let name):
                if escaped && harmless { return }
                checker.report(file, node, "\(written) is the value of \(name)= without quotes, so a space in it starts a new attribute; write \(name)=\"\(written)\"")
            case .quotedAttribute(let name, let before):
                if !escaped {
                    checker.report(file, node, "\(written) puts HTML inside the attribute \(name)=; HTML goes only in text")
                } else if name.hasPrefix("on") {
                    checker.report(file, node, "\(written) is in \(name)=, which runs its value as script: HTML escaping does not make a value safe there; move the script to a file in Templates/assets/ and read the value from a data- attribute")
                } else if name == "style" {
                    if !harmless {
                        checker.report(file, node, "\(written) is in style=, which takes CSS, where HTML escaping does not make a value safe; use a class for each case instead")
                    }
                } else if name == "srcdoc" {
                    checker.report(file, node, "\(written) is in srcdoc=, whose value is a whole HTML document (escaping does not make it safe); link a page with src= instead")
                } else if Self.urlAttributes.contains(name), kind == .text,
                          !before.contains(where: { $0 == ":" || $0 == "/" || $0 == "?" || $0 == "#" }) {
                    checker.report(file, node, "\(written) starts the value of \(name)=, so it decides where it leads (a 'javascript:' value would run); only a URL the engine made or checked may start it (a page's url, root, or a field declared as url), or put a fixed part first, like \(name)=\"#\(written)\"")
                }
            }
        }

        static let sequenceTransforms: Set<String> = ["first", "last", "index", "even", "odd"]

        static func transforms(for shape: ContextShape) -> [String] {
            switch shape {
            case .list: ["count", "empty", "first", "last", "reversed", "sorted"]
            case .object: ["count", "empty", "enumerated", "sorted"]
            case .scalar: ["capitalized", "empty", "equalzero", "even", "lowercased", "minusone", "odd", "plusone", "reversed", "uppercased"]
            case .any, .unavailable: []
            }
        }

        /// What swift-mustache's transform gives for a value of `shape`.
        static func apply(_ transform: String, to shape: ContextShape) -> ContextShape? {
            if case .any = shape { return .any }
            guard transforms(for: shape).contains(transform) else { return nil }
            switch (shape, transform) {
            case (.list(let item), "first"), (.list(let item), "last"): return item
            case (.list, "reversed"), (.list, "sorted"): return shape
            case (.object, "enumerated"): return .list(.object(["key": .text, "value": .any]))
            case (.object, "sorted"): return .list(.any)
            case (_, "count"), (.scalar(.number), "plusone"), (.scalar(.number), "minusone"): return .number
            case (_, "empty"), (_, "equalzero"), (_, "even"), (_, "odd"): return .bool
            case (.scalar(let kind), "reversed"): return .scalar(kind == .url ? .text : kind)
            default: return .text
            }
        }

        static func describe(_ shape: ContextShape) -> String {
            switch shape {
            case .list: "a list"
            case .object: "a mapping"
            case .scalar: "a single value"
            case .any: "this value"
            case .unavailable: "a value not given here"
            }
        }
    }
}
