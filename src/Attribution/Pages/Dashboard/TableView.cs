using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Attribution.Pages.Dashboard;

/// <summary>
/// A table as a page shows it. The HTML (<c>_Table</c>), the CSV and the JSON export are all written from this one
/// value, so an export holds exactly the page's columns and cell texts.
/// </summary>
public sealed class TableView(string id, IReadOnlyList<string> columns)
{
    private readonly List<(string? Key, IReadOnlyList<Cell> Cells)> _rows = [];

    public string Id { get; } = id;

    public IReadOnlyList<string> Columns { get; } = columns;

    /// <summary>Columns right-aligned as numbers.</summary>
    public ISet<int> NumericColumns { get; } = new HashSet<int>();

    public IReadOnlyList<(string? Key, IReadOnlyList<Cell> Cells)> Rows => _rows;

    public TableView Numeric(params int[] columnIndexes)
    {
        foreach (var i in columnIndexes)
        {
            NumericColumns.Add(i);
        }

        return this;
    }

    public void Add(string? key, params Cell[] cells)
    {
        if (cells.Length != Columns.Count)
        {
            throw new ArgumentException($"table {Id} has {Columns.Count} columns, row has {cells.Length}", nameof(cells));
        }

        _rows.Add((key, cells));
    }

    /// <summary>RFC 4180: a header line, then one line per row; fields with a comma, quote or line break are quoted.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        AppendLine(text, Columns);
        foreach (var (_, cells) in _rows)
        {
            AppendLine(text, cells.Select(c => c.Text));
        }

        return text.ToString();
    }

    /// <summary>An array of objects keyed by column header, values as the page shows them.</summary>
    public string ToJson() => JsonSerializer.Serialize(JsonRows(), JsonOptions);

    /// <summary>Several tables as one JSON object: each table's <see cref="Id"/> → its rows as <see cref="ToJson"/> writes them.</summary>
    public static string ToJson(IEnumerable<TableView> tables) =>
        JsonSerializer.Serialize(tables.ToDictionary(t => t.Id, t => t.JsonRows(), StringComparer.Ordinal), JsonOptions);

    private List<Dictionary<string, string>> JsonRows() =>
        _rows.Select(r => Columns.Select((c, i) => (c, r.Cells[i].Text)).ToDictionary(x => x.c, x => x.Text, StringComparer.Ordinal)).ToList();

    private static void AppendLine(StringBuilder text, IEnumerable<string> fields)
    {
        text.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
    }

    /// <summary>Quotes a field when needed; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula.</summary>
    public static string Quote(string field)
    {
        var value = field.Length > 0 && field[0] is '=' or '+' or '@' or '\t' or '\r' || (field.Length > 1 && field[0] == '-' && !char.IsAsciiDigit(field[1]))
            ? "'" + field
            : field;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
