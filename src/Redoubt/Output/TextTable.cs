using System.Text;

namespace Redoubt.Output;

/// <summary>Rows of text under headers, laid out in columns the way kubectl prints them: plain, greppable, no borders.</summary>
public sealed record TextTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    private const string Gap = "   ";

    public string Render(string indent = "")
    {
        var widths = Headers.Select((header, column) => Rows.Select(row => Cell(row, column).Length).Prepend(header.Length).Max()).ToArray();
        var text = new StringBuilder();
        AppendRow(text, indent, Headers, widths);
        foreach (var row in Rows)
        {
            AppendRow(text, indent, row, widths);
        }
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string indent, IReadOnlyList<string> row, int[] widths)
    {
        var line = new StringBuilder(indent);
        for (var column = 0; column < widths.Length; column++)
        {
            line.Append(Cell(row, column).PadRight(column == widths.Length - 1 ? 0 : widths[column]));
            if (column < widths.Length - 1)
            {
                line.Append(Gap);
            }
        }
        text.Append(line.ToString().TrimEnd()).Append('\n');
    }

    private static string Cell(IReadOnlyList<string> row, int column) => column < row.Count ? row[column] : "";
}
