import SiteModel

/// Reads a CSV file as a spreadsheet exports it (RFC 4180: quoted fields, `""` for a quote, line breaks
/// inside quotes; commas, or semicolons as Excel writes them in much of Europe, or tabs) into the same tree
/// YAML gives: a list of records, one per row after the header. Each value is at `file:row:column` (the
/// row's line, the column's number). Columns named `name.zh` give `name` per language (`name` alone is the
/// default language's), `location.lat`/`location.lon` a point's parts. Every record has every column (an
/// empty cell is an empty value: a field left out), so a column missing from the header shows in every row.
public enum CSVReader {
    public static func read(_ text: String, file: String, defaultLanguage: String) throws(DiagnosticsError) -> DataNode? {
        let rows = try parse(text, file: file)
        guard let header = rows.first else { return nil }
        var columns: [(path: [String], at: SourceLocation)] = []
        var seen: [String: Int] = [:]
        var problems: [Diagnostic] = []
        for cell in header.cells {
            let name = cell.text.trimmingSpaces
            if name.isEmpty { problems.append(.error(at: cell.location, "column \(cell.location.column) has no name in the header row; name it after a field")) }
            if let other = seen[name] { problems.append(.error(at: cell.location, "the column '\(name)' is in the header twice (also column \(other))")) }
            seen[name] = cell.location.column
            // `name.zh` is a field and a language; a name with nothing before or after its dot is a field as it is.
            let parts = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            columns.append((parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty ? parts : [name], cell.location))
        }
        let bare = Set(columns.filter { $0.path.count == 1 }.map { $0.path[0] })
        let nested = Set(columns.filter { $0.path.count == 2 }.map { $0.path[0] })
        var records: [DataNode] = []
        for row in rows.dropFirst() {
            if row.cells.count == 1 && row.cells[0].text.isEmpty { continue }  // a blank line
            if row.cells.count != columns.count {
                problems.append(.error(at: row.cells.first?.location ?? SourceLocation(file: file, line: row.line),
                    "row \(row.line) has \(row.cells.count) cells, but the header has \(columns.count) columns; check for a missing or extra separator"))
                continue
            }
            var pairs: [(key: DataNode, value: DataNode)] = []
            var groups: [String: [(key: DataNode, value: DataNode)]] = [:]
            var order: [String] = []
            for (column, cell) in zip(columns, row.cells) {
                let value = DataNode(kind: .scalar(cell.text, plain: false), location: cell.location)
                let field = column.path[0]
                if column.path.count == 2 || (bare.contains(field) && nested.contains(field)) {
                    // An empty cell of `name.zh` is a language left out; all of them empty, the field is.
                    guard !cell.text.isEmpty else {
                        if !pairs.contains(where: { $0.key.scalarText == field }) && groups[field] == nil {
                            pairs.append((DataNode(kind: .scalar(field, plain: true), location: column.at), value))
                        }
                        continue
                    }
                    if let empty = pairs.firstIndex(where: { $0.key.scalarText == field }) { pairs.remove(at: empty) }
                    let sub = column.path.count == 2 ? column.path[1] : defaultLanguage
                    if groups[field] == nil { order.append(field) }
                    groups[field, default: []].append((DataNode(kind: .scalar(sub, plain: true), location: column.at), value))
                } else {
                    pairs.append((DataNode(kind: .scalar(field, plain: true), location: column.at), value))
                }
            }
            for field in order {
                let members = groups[field]!
                pairs.append((DataNode(kind: .scalar(field, plain: true), location: members[0].key.location),
                              DataNode(kind: .mapping(members), location: members[0].value.location)))
            }
            records.append(DataNode(kind: .mapping(pairs), location: row.cells.first?.location ?? SourceLocation(file: file, line: row.line)))
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return DataNode(kind: .sequence(records), location: SourceLocation(file: file, line: 1, column: 1))
    }

    struct Cell {
        var text: String
        var location: SourceLocation
    }

    struct Row {
        var line: Int
        var cells: [Cell]
    }

    /// Rows of cells. The separator is the one the header line uses: `,`, else `;`, else a tab.
    static func parse(_ text: String, file: String) throws(DiagnosticsError) -> [Row] {
        let scalars = Array(text.unicodeScalars)
        let headerEnd = scalars.firstIndex(of: "\n") ?? scalars.count
        let header = scalars[..<headerEnd]
        let separator: Unicode.Scalar = header.contains(",") ? "," : header.contains(";") ? ";" : header.contains("\t") ? "\t" : ","
        var rows: [Row] = []
        var cells: [Cell] = []
        var field = String.UnicodeScalarView()
        var line = 1, rowLine = 1, column = 1
        var fieldLine = 1
        var index = 0
        var quoted = false
        var wasQuoted = false
        func endField() {
            // Spaces around an unquoted cell (`a, b`) are not part of it.
            let text = wasQuoted ? String(field) : String(field).trimmingSpaces
            cells.append(Cell(text: text, location: SourceLocation(file: file, line: fieldLine, column: column)))
            field = String.UnicodeScalarView()
            column += 1
            wasQuoted = false
            fieldLine = line
        }
        func endRow() {
            endField()
            rows.append(Row(line: rowLine, cells: cells))
            cells = []
            column = 1
        }
        while index < scalars.count {
            let c = scalars[index]
            if quoted {
                if c == "\"" {
                    if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                        field.append("\"")
                        index += 2
                        continue
                    }
                    quoted = false
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
                index += 1
                continue
            }
            switch c {
            case "\"" where String(field).trimmingSpaces.isEmpty && !wasQuoted:
                field = String.UnicodeScalarView()
                quoted = true
                wasQuoted = true
            case "\"":
                throw DiagnosticsError([.error(at: SourceLocation(file: file, line: line, column: column),
                    "a quote inside an unquoted cell; put the whole cell in quotes and double the quote inside (\"\"x\"\")")])
            case separator:
                endField()
            case "\n":
                endRow()
                line += 1
                rowLine = line
                fieldLine = line
            default:
                if wasQuoted {
                    throw DiagnosticsError([.error(at: SourceLocation(file: file, line: line, column: column),
                        "text after a quoted cell's closing quote; put the whole cell in quotes")])
                }
                field.append(c)
            }
            index += 1
        }
        if quoted {
            throw DiagnosticsError([.error(at: SourceLocation(file: file, line: fieldLine, column: column), "a quoted cell is never closed; add the closing quote")])
        }
        if !field.isEmpty || !cells.isEmpty || wasQuoted { endRow() }
        return rows
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
