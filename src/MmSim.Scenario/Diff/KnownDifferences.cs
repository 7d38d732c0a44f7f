using System.Globalization;

namespace MmSim.Scenario.Diff;

/// <summary>
/// The deliberate, known differences between the model and the kernel: aspects <c>mmsim diff</c> compares but
/// does not count as divergences, each with its reason. They live in one file
/// (<c>src/MmSim.Scenario/Diff/known-differences.txt</c>, embedded in the assembly): one per line, <c>KEY  reason</c>; <c>#</c> starts a comment.
/// Keys: <c>status.FIELD</c> (a /proc/PID/status counter's change since the process's baseline) and
/// <c>smaps.FIELD</c> (a field of the smaps entries of the scenario's ranges).
/// </summary>
public sealed class KnownDifferences
{
    private readonly Dictionary<string, string> _reasons;

    public KnownDifferences(IReadOnlyDictionary<string, string> reasons) =>
        _reasons = new Dictionary<string, string>(reasons, StringComparer.Ordinal);

    public static KnownDifferences None { get; } = new(new Dictionary<string, string>());

    /// <summary>The project's list (src/MmSim.Scenario/Diff/known-differences.txt, embedded in the assembly).</summary>
    public static KnownDifferences Default { get; } = LoadDefault();

    private static KnownDifferences LoadDefault()
    {
        using var stream = typeof(KnownDifferences).Assembly.GetManifestResourceStream("MmSim.Scenario.known-differences.txt")
            ?? throw new InvalidOperationException("known-differences.txt is not embedded");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "known-differences.txt");
    }

    public IReadOnlyDictionary<string, string> Reasons => _reasons;

    public bool TryGetReason(string key, out string reason) => _reasons.TryGetValue(key, out reason!);

    /// <summary>Parses the file's text; a malformed line is reported as <c>FILE:LINE: ...</c>.</summary>
    public static KnownDifferences Parse(string text, string file)
    {
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            int space = line.IndexOfAny([' ', '\t']);
            if (space <= 0)
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{file}:{i + 1}: expected 'KEY  reason', found '{line}'"));
            reasons[line[..space]] = line[space..].Trim();
        }
        return new KnownDifferences(reasons);
    }
}
