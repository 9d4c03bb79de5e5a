import Foundation
import SiteModel

/// Renders parsed templates (`TemplateParser`) with a typed context (`TemplateValue`). The Mustache it
/// renders is swift-mustache's, to the letter — how a name is looked up through the enclosing sections,
/// what a section over each kind of value does, transforms (`count(pages)`, `first()`), partials indented
/// as their tag, parents and blocks — so that pages come out byte for byte as they did when swift-mustache
/// rendered them (`TemplateRendererTests` renders the Mustache spec and this repository's templates with
/// both). What it does not have to do is find its way through `Any`: swift-mustache split every name at
/// each lookup and asked each level of the context for three protocols (a third of a build's time).
/// Values are HTML-escaped on the bytes (`HTML.escape`). Templates are checked first (`TemplateChecker`:
/// no partial is missing and none includes itself), so rendering cannot fail.
struct TemplateRenderer {
    /// Every template by name (layouts and partials).
    let templates: [String: [TemplateNode]]

    private var out: [UInt8] = []
    /// The values of the enclosing sections, innermost last.
    private var stack: [TemplateValue] = []
    /// Where in a list the innermost section is (what `first()`, `index()` and the like read), if it is one.
    private var position: Position?
    /// What each line a partial renders is indented by (the whitespace before its tag).
    private var indentation: String?
    /// The blocks the parents being rendered override, by name.
    private var overrides: [String: [TemplateNode]] = [:]

    struct Position {
        var first: Bool
        var last: Bool
        var index: Int

        func transform(_ name: String) -> TemplateValue? {
            switch name {
            case "first": .bool(first)
            case "last": .bool(last)
            case "index": .int(index)
            case "even": .bool(index & 1 == 0)
            case "odd": .bool(index & 1 == 1)
            default: nil
            }
        }
    }

    init(templates: [String: [TemplateNode]]) {
        self.templates = templates
    }

    /// The template `name` rendered with `context` (empty when there is no such template).
    static func render(_ name: String, in templates: [String: [TemplateNode]], with context: TemplateContext, capacity: Int = 16_384) -> String {
        render(name, in: templates, with: .object(context), capacity: capacity)
    }

    /// The template `name` rendered with `root` as its context (a context need not be a mapping).
    static func render(_ name: String, in templates: [String: [TemplateNode]], with root: TemplateValue, capacity: Int = 16_384) -> String {
        guard let nodes = templates[name] else { return "" }
        var renderer = TemplateRenderer(templates: templates)
        renderer.out.reserveCapacity(capacity)
        renderer.stack = [root]
        renderer.render(nodes)
        return String(decoding: renderer.out, as: UTF8.self)
    }

    private mutating func render(_ nodes: [TemplateNode]) {
        guard let indentation, !indentation.isEmpty else {
            for node in nodes { render(node) }
            return
        }
        // In a partial that stands alone on an indented line, each node's output that begins a line of this
        // template's output gets the indentation (swift-mustache indents per node, not per line).
        let start = out.count
        for node in nodes {
            let before = out.count
            render(node)
            if out.count > before, endsLine(from: start, to: before) {
                out.insert(contentsOf: indentation.utf8, at: before)
            }
        }
    }

    /// Whether the output from `start` to `end` ends with a line feed that is a character of its own (not
    /// the end of a CR LF, which is one character).
    private func endsLine(from start: Int, to end: Int) -> Bool {
        guard end > start, out[end - 1] == UInt8(ascii: "\n") else { return false }
        return end - 2 < start || out[end - 2] != UInt8(ascii: "\r")
    }

    private mutating func render(_ node: TemplateNode) {
        switch node.kind {
        case .text(let text):
            out.append(contentsOf: text.utf8)
        case .variable(let escaped):
            guard let value = lookup(node) else { return }
            if case .text(let text) = value {
                append(text, escaped: escaped)
            } else {
                append(value.renderedText, escaped: escaped)
            }
        case .section(let inverted, let children):
            let value = lookup(node)
            if inverted { renderInverted(value, children) } else { renderSection(value, children) }
        case .partial:
            guard let partial = templates[node.name] else { return }
            including(indented: node.indentation, overriding: nil) { $0.render(partial) }
        case .parent(let blocks):
            guard let parent = templates[node.name] else { return }
            var defined: [String: [TemplateNode]] = [:]
            for block in blocks {
                if case .block(let children) = block.kind { defined[block.name] = children }
            }
            including(indented: node.indentation, overriding: defined) { $0.render(parent) }
        case .block(let children):
            let body = overrides[node.name] ?? children
            let saved = (indentation, position)
            if let indented = node.indentation { indentation = (indentation ?? "") + indented }
            position = nil
            render(body)
            (indentation, position) = saved
        }
    }

    private mutating func append(_ text: String, escaped: Bool) {
        if escaped { HTML.appendEscaped(text, to: &out) } else { out.append(contentsOf: text.utf8) }
    }

    /// A partial or parent: its indentation adds to the current one; blocks already overridden by an
    /// enclosing parent keep that override.
    private mutating func including(indented: String?, overriding defined: [String: [TemplateNode]]?, _ body: (inout TemplateRenderer) -> Void) {
        let saved = (indentation, overrides, position)
        if let indented { indentation = (indentation ?? "") + indented }
        if let defined { overrides.merge(defined) { existing, _ in existing } }
        position = nil
        body(&self)
        (indentation, overrides, position) = saved
    }

    /// `{{#name}}`: a list renders once per item (nothing when empty), true renders in the same context,
    /// false and `absent` and a missing name render nothing, any other value renders with it as the context.
    private mutating func renderSection(_ value: TemplateValue?, _ children: [TemplateNode]) {
        switch value {
        case .list(let items)?:
            guard !items.isEmpty else { return }
            let saved = position
            for (index, item) in items.enumerated() {
                stack.append(item)
                position = Position(first: index == 0, last: index == items.count - 1, index: index)
                render(children)
                stack.removeLast()
            }
            position = saved
        case .bool(let flag)?:
            if flag { render(children) }
        case .absent?, nil:
            return
        case let value?:
            pushing(value) { $0.render(children) }
        }
    }

    /// `{{^name}}`: renders when the value is an empty list (which becomes the context), false, `absent` or
    /// missing.
    private mutating func renderInverted(_ value: TemplateValue?, _ children: [TemplateNode]) {
        switch value {
        case .list(let items)?:
            if items.isEmpty { pushing(.list(items)) { $0.render(children) } }
        case .bool(let flag)?:
            if !flag { render(children) }
        case .absent?, nil:
            render(children)
        case .some:
            return
        }
    }

    private mutating func pushing(_ value: TemplateValue, _ body: (inout TemplateRenderer) -> Void) {
        let saved = position
        stack.append(value)
        position = nil
        body(&self)
        stack.removeLast()
        position = saved
    }

    /// What the tag's name gives, transforms applied; nil when it names nothing here (or a transform does not
    /// apply). A name is looked up from the innermost section outwards (`.name` only in the innermost), its
    /// further parts inside what its first part found.
    private func lookup(_ node: TemplateNode) -> TemplateValue? {
        var transforms = node.transforms[...]
        var value: TemplateValue?
        if node.name == "." {
            value = stack.last
        } else if node.name.isEmpty, let innermost = transforms.last {
            // `first()`, `index()`: where in the list being iterated.
            guard let position, let found = position.transform(innermost) else { return nil }
            value = found
            transforms = transforms.dropLast()
        } else if node.name.utf8.first == UInt8(ascii: ".") {
            value = Self.resolve(node.path[...], in: stack[stack.count - 1])
        } else if let first = node.path.first {
            value = nil
            for frame in stack.reversed() {
                if let found = Self.child(first, of: frame) {
                    value = Self.resolve(node.path.dropFirst(), in: found)
                    break
                }
            }
        } else {
            value = stack.last
        }
        guard var result = value else { return nil }
        for name in transforms.reversed() {
            guard let next = result.transform(name) else { return nil }
            result = next
        }
        return result
    }

    private static func child(_ name: String, of value: TemplateValue) -> TemplateValue? {
        if case .object(let fields) = value { return fields[name] }
        return nil
    }

    private static func resolve(_ path: ArraySlice<String>, in value: TemplateValue) -> TemplateValue? {
        var current = value
        for name in path {
            guard let next = child(name, of: current) else { return nil }
            current = next
        }
        return current
    }
}

extension TemplateValue {
    /// swift-mustache's transforms (`{{count(pages)}}`, `{{#empty(tags)}}`), for the kinds of value each
    /// applies to; nil where it does not apply (the tag then renders nothing).
    func transform(_ name: String) -> TemplateValue? {
        switch self {
        case .text(let text):
            switch name {
            case "empty": return .bool(text.isEmpty)
            case "capitalized": return .text(text.capitalized)
            case "lowercased": return .text(text.lowercased())
            case "uppercased": return .text(text.uppercased())
            case "reversed": return .text(String(text.reversed()))
            default: return nil
            }
        case .list(let items):
            switch name {
            case "first": return items.first
            case "last": return items.last
            case "reversed": return .list(items.reversed())
            case "count": return .int(items.count)
            case "empty": return .bool(items.isEmpty)
            default: return nil
            }
        case .object(let fields):
            switch name {
            case "count": return .int(fields.count)
            case "empty": return .bool(fields.isEmpty)
            case "enumerated", "sorted":
                return .list(fields.keys.sorted().map { .object(["key": .text($0), "value": fields[$0]!]) })
            default: return nil
            }
        case .int(let n):
            switch name {
            case "equalzero": return .bool(n == 0)
            case "plusone": return .int(n + 1)
            case "minusone": return .int(n - 1)
            case "even": return .bool(n & 1 == 0)
            case "odd": return .bool(n & 1 == 1)
            default: return nil
            }
        case .absent:
            switch name {
            case "empty": return .bool(true)
            case "count": return .int(0)
            default: return nil
            }
        case .bool, .double:
            return nil
        }
    }
}
