using System.Globalization;

namespace MmSim.Scenario;

/// <summary>
/// Reads /proc text into struct values. It parses the text only, never asks the model, so the same code
/// reads the host kernel's files when a scenario runs there.
/// </summary>
public static class ProcText
{
    /// <summary>
    /// One /proc/PID/smaps entry (or smaps_rollup): the maps header line gives <c>start</c>, <c>end</c> (numbers),
    /// <c>perms</c>, <c>offset</c>, <c>dev</c>, <c>inode</c> and <c>name</c> (<c>""</c> for anonymous memory);
    /// each further line one field, sizes in kB as numbers, <c>VmFlags</c> as a string without the trailing space.
    /// </summary>
    public static StructValue ParseSmapsEntry(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
            throw new FormatException("empty smaps entry");
        var fields = ParseMapsLine(lines[0]);
        fields.AddRange(ParseFieldLines(lines.AsSpan(1)));
        return new StructValue(fields);
    }

    /// <summary>/proc/PID/status: <c>Name:\tvalue</c> lines; kB values and plain decimals as numbers, the rest as strings.</summary>
    /// <summary>/proc/vmstat: one "name value" line per counter.</summary>
    public static StructValue ParseVmstat(string text, bool open)
    {
        var fields = new List<KeyValuePair<string, ScenarioValue>>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ');
            if (space <= 0 || !long.TryParse(line.AsSpan(space + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                throw new FormatException($"not a 'name value' line: '{line}'");
            fields.Add(new(line[..space], new NumberValue(value)));
        }
        return new StructValue(fields) { Open = open };
    }

    public static StructValue ParseStatus(string text) =>
        new(ParseFieldLines(text.Split('\n', StringSplitOptions.RemoveEmptyEntries)));

    /// <summary>/proc/meminfo's SwapTotal, SwapFree and SwapCached, in kB (0 where a line is missing).</summary>
    public static (long Total, long Free, long Cached) SwapFields(string meminfo)
    {
        var m = ParseStatus(meminfo);
        long Kb(string f) => m[f] is NumberValue n ? n.Value : 0;
        return (Kb("SwapTotal"), Kb("SwapFree"), Kb("SwapCached"));
    }

    // fs/proc/task_mmu.c show_map_vma(): "start-end perms offset major:minor inode   name"
    private static List<KeyValuePair<string, ScenarioValue>> ParseMapsLine(string line)
    {
        var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        var range = parts.Length >= 5 ? parts[0].Split('-') : [];
        if (range.Length != 2)
            throw new FormatException($"not a maps line: '{line}'");
        return
        [
            new("start", new NumberValue(Hex(range[0]))),
            new("end", new NumberValue(Hex(range[1]))),
            new("perms", StringValue.FromText(parts[1])),
            new("offset", new NumberValue(Hex(parts[2]))),
            new("dev", StringValue.FromText(parts[3])),
            new("inode", new NumberValue(long.Parse(parts[4], CultureInfo.InvariantCulture))),
            new("name", StringValue.FromText(parts.Length > 5 ? parts[5].Trim() : "")),
        ];
    }

    private static List<KeyValuePair<string, ScenarioValue>> ParseFieldLines(ReadOnlySpan<string> lines)
    {
        var fields = new List<KeyValuePair<string, ScenarioValue>>();
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
                throw new FormatException($"not a 'Name: value' line: '{line}'");
            fields.Add(new(line[..colon], ParseFieldValue(line[(colon + 1)..].Trim())));
        }
        return fields;
    }

    private static ScenarioValue ParseFieldValue(string raw)
    {
        var number = raw.EndsWith(" kB", StringComparison.Ordinal) ? raw[..^3].TrimEnd() : raw;
        // A leading zero keeps octal-looking values (Umask: 0022) as the strings they are.
        var isDecimal = number.Length > 0 && (number == "0" || number[0] != '0')
            && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out _);
        return isDecimal ? new NumberValue(long.Parse(number, CultureInfo.InvariantCulture)) : StringValue.FromText(raw);
    }

    private static long Hex(string digits) =>
        unchecked((long)ulong.Parse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
}
