using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MmSim.Scenario.Fuzz;

/// <summary>A scenario's text taken apart: the comment lines before the first statement, and the statements.</summary>
public sealed record ScenarioLines(IReadOnlyList<string> Header, IReadOnlyList<string> Statements);

/// <summary>
/// Shrinks a failing scenario to a small one that still fails, for <c>mmsim fuzz</c>'s bug reports:
/// delta debugging over statements (Zeller and Hildebrandt's ddmin), then removing statements one at a time,
/// then moving numbers toward simpler ones (lengths toward 4K, addresses toward the start of the window).
/// </summary>
/// <remarks>
/// Every candidate stays a valid scenario. A statement that binds a variable (<c>fork() = $c0</c>) is removed
/// only together with every later statement that uses it, transitively (<see cref="StatementGraph"/>); a set
/// kept on its own keeps the statements binding what it uses. Candidates are also parsed before the predicate
/// sees them, and one that does not parse counts as passing.
/// </remarks>
public static partial class ScenarioShrinker
{
    /// <summary>How many times <see cref="Shrink"/> calls the predicate at most, unless told otherwise.</summary>
    public const int DefaultMaxTests = 5000;

    private const ulong PageSize = 4096;

    /// <summary>vm.mmap_min_addr: a pointer argument at or above it is an address, below it an offset from a variable.</summary>
    private const ulong MmapMinAddr = 0x10000;

    /// <summary>Names of the number parameters whose values the simplification pass may change (see <see cref="CallTable"/>).</summary>
    private static readonly HashSet<string> s_addressParams = ["addr", "brk", "vec", "lo", "hi"];

    private static readonly HashSet<string> s_lengthParams = ["length"];

    private static readonly HashSet<string> s_offsetParams = ["offset"];

    /// <summary>
    /// Splits scenario text into its header (the comment lines before the first statement, as written) and
    /// its statements (one a line, trimmed, trailing comments removed). Other comments and blank lines are dropped.
    /// </summary>
    public static ScenarioLines Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var header = new List<string>();
        var statements = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
                continue;
            if (line[0] == '#')
            {
                if (statements.Count == 0)
                    header.Add(line);
                continue;
            }
            statements.Add(StatementSyntax.Scan(line).Code);
        }
        return new ScenarioLines(header, statements);
    }

    /// <summary>
    /// The .mms text of a bug report: <paramref name="header"/> as comment lines (a line that is not one already
    /// gets <c>"# "</c>; say the seed, the op count and the divergence there), a blank line, the statements.
    /// </summary>
    public static string Render(IReadOnlyList<string> statements, string header)
    {
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(header);
        var text = new StringBuilder();
        var lines = header.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n');
        if (lines.Length > 0)
        {
            foreach (var line in lines.Split('\n'))
            {
                var trimmed = line.TrimEnd();
                text.Append(trimmed.StartsWith('#') ? trimmed : ("# " + trimmed).TrimEnd()).Append('\n');
            }
            text.Append('\n');
        }
        foreach (var statement in statements)
            text.Append(statement).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// A small list of statements for which <paramref name="stillFails"/> holds, made from
    /// <paramref name="statements"/> by removing statements and simplifying numbers. Returns the statements as
    /// they are when <paramref name="stillFails"/> does not hold for them. The predicate is called at most
    /// <paramref name="maxTests"/> times, never twice with the same list and never with a list that does not parse.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="statements"/> do not parse as a scenario.</exception>
    public static IReadOnlyList<string> Shrink(IReadOnlyList<string> statements, Func<IReadOnlyList<string>, bool> stillFails,
        int maxTests = DefaultMaxTests)
    {
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(stillFails);
        var current = statements.ToList();
        if (TryParse(current) is null)
            throw new ArgumentException("the statements do not parse as a scenario", nameof(statements));

        var session = new Session(stillFails, maxTests);
        if (!session.Fails(current))
            return current;
        current = session.Ddmin(current);
        while (!session.Exhausted)
        {
            current = session.RemoveEach(current);
            var simpler = session.MoveToMain(current) ?? current;
            simpler = session.SimplifyNumbers(simpler) ?? simpler;
            if (ReferenceEquals(simpler, current))
                break;
            current = simpler;
        }
        return current;
    }

    internal static ScenarioScript? TryParse(IReadOnlyList<string> statements)
    {
        try
        {
            return ScenarioParser.Parse(string.Join('\n', statements), "shrink.mms");
        }
        catch (ScenarioSyntaxException)
        {
            return null;
        }
    }

    /// <summary>One shrink: the predicate, its budget and a cache of its answers by scenario text.</summary>
    private sealed class Session(Func<IReadOnlyList<string>, bool> stillFails, int maxTests)
    {
        private readonly Dictionary<string, bool> _answers = new(StringComparer.Ordinal);
        private int _tests;

        public bool Exhausted => _tests >= maxTests;

        public bool Fails(List<string> candidate)
        {
            var key = string.Join('\n', candidate);
            if (_answers.TryGetValue(key, out var known))
                return known;
            if (candidate.Exists(s => s.Contains('\n', StringComparison.Ordinal)) || TryParse(candidate) is null)
                return _answers[key] = false;
            if (Exhausted)
                return false;
            _tests++;
            return _answers[key] = stillFails(candidate);
        }

        /// <summary>
        /// ddmin: split the list into n chunks; keep one chunk (and what it depends on) if that still fails, else
        /// drop one chunk (and what depends on it) if that still fails, else split finer.
        /// </summary>
        public List<string> Ddmin(List<string> list)
        {
            var n = 2;
            while (list.Count >= 2 && !Exhausted)
            {
                var graph = new StatementGraph(list);
                var chunks = Chunks(list.Count, n);
                List<string>? next = null;
                foreach (var chunk in chunks)
                {
                    var candidate = Keep(list, graph.KeepClosure(chunk));
                    if (candidate.Count < list.Count && Fails(candidate))
                    {
                        next = candidate;
                        n = 2;
                        break;
                    }
                }
                if (next is null)
                {
                    foreach (var chunk in chunks)
                    {
                        var candidate = Keep(list, Not(graph.RemovalClosure(chunk)));
                        if (candidate.Count < list.Count && Fails(candidate))
                        {
                            next = candidate;
                            n = Math.Max(n - 1, 2);
                            break;
                        }
                    }
                }
                if (next is not null)
                {
                    list = next;
                    continue;
                }
                if (n >= list.Count)
                    break;
                n = Math.Min(n * 2, list.Count);
            }
            return list;
        }

        /// <summary>Tries removing each statement (with its dependants), last first, until none can go.</summary>
        public List<string> RemoveEach(List<string> list)
        {
            bool removed;
            do
            {
                removed = false;
                for (var i = list.Count - 1; i >= 0 && !Exhausted; i--)
                {
                    if (i >= list.Count)
                        continue;
                    var graph = new StatementGraph(list);
                    var candidate = Keep(list, Not(graph.RemovalClosure([i])));
                    if (Fails(candidate))
                    {
                        list = candidate;
                        removed = true;
                    }
                }
            }
            while (removed && !Exhausted);
            return list;
        }

        /// <summary>
        /// Runs statements in <c>$main</c> instead of a child where that still fails: all of one child's statements
        /// at once (a child's failure usually needs its whole history), then one at a time. <c>[pid $c0] touch(...)</c>
        /// becomes <c>touch(...)</c>, and the fork may go in the next round. Returns null when none could move.
        /// </summary>
        public List<string>? MoveToMain(List<string> list)
        {
            var changed = false;
            var prefixes = list.Select(s => PidPrefix().Match(s)).Where(m => m.Success).Select(m => m.Value.Trim())
                .Distinct(StringComparer.Ordinal).ToList();
            foreach (var prefix in prefixes)
            {
                var candidate = list.Select(s => PidPrefix().Match(s) is { Success: true } m && m.Value.Trim() == prefix ? s[m.Length..] : s).ToList();
                if (!Exhausted && Fails(candidate))
                {
                    list = candidate;
                    changed = true;
                }
            }
            for (var i = list.Count - 1; i >= 0 && !Exhausted; i--)
            {
                var prefix = PidPrefix().Match(list[i]);
                if (!prefix.Success)
                    continue;
                var candidate = list.ToList();
                candidate[i] = list[i][prefix.Length..];
                if (Fails(candidate))
                {
                    list = candidate;
                    changed = true;
                }
            }
            return changed ? list : null;
        }

        /// <summary>
        /// Moves numbers toward simpler values while the scenario still fails: every literal of an address first
        /// everywhere at once (a page is usually named by several statements), then each occurrence alone.
        /// Returns null when nothing could be simplified. Each change makes a number smaller, so this ends.
        /// </summary>
        public List<string>? SimplifyNumbers(List<string> list)
        {
            var changed = false;
            while (!Exhausted && TrySimplifyOne(list) is { } simpler)
            {
                list = simpler;
                changed = true;
            }
            return changed ? list : null;
        }

        private List<string>? TrySimplifyOne(List<string> list)
        {
            var script = TryParse(list);
            if (script is null)
                return null;
            var literals = NumberLiterals(list, script);
            var lowest = literals.Where(l => l.Kind == LiteralKind.Address && l.Value >= MmapMinAddr)
                .Select(l => l.Value & ~(PageSize - 1)).DefaultIfEmpty(0UL).Min();
            foreach (var literal in literals)
            {
                foreach (var value in Candidates(literal, lowest))
                {
                    if (literal.Kind == LiteralKind.Address && literal.Value >= MmapMinAddr)
                    {
                        var same = literals.Where(l => l.Kind == LiteralKind.Address && l.Value == literal.Value).ToList();
                        if (same.Count > 1 && Replace(list, same, literal.Kind, value) is var everywhere && Fails(everywhere))
                            return everywhere;
                    }
                    var one = Replace(list, [literal], literal.Kind, value);
                    if (Fails(one))
                        return one;
                }
            }
            return null;
        }
    }

    // ---- statements as a dependency graph ----

    private static List<(int Start, int Count)> Chunks(int count, int n)
    {
        var chunks = new List<(int, int)>();
        var start = 0;
        for (var i = 0; i < n && start < count; i++)
        {
            var size = (count - start + (n - i) - 1) / (n - i);
            chunks.Add((start, size));
            start += size;
        }
        return chunks;
    }

    private static List<string> Keep(List<string> list, bool[] keep)
    {
        var kept = new List<string>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            if (keep[i])
                kept.Add(list[i]);
        }
        return kept;
    }

    private static bool[] Not(bool[] set) => set.Select(b => !b).ToArray();

    // ---- numbers ----

    private enum LiteralKind
    {
        Address,
        Length,
        Offset,
    }

    /// <summary>A number as written in statement <c>Index</c> at <c>Start</c>, <c>Length</c> characters long.</summary>
    private sealed record NumberLiteral(int Index, int Start, int Length, ulong Value, LiteralKind Kind);

    [GeneratedRegex(@"\G(?:0[xX][0-9a-fA-F]+|[0-9]+)[KMG]?")]
    private static partial Regex NumberToken();

    [GeneratedRegex(@"^\[\s*pid\s+[^\]]*\]\s*")]
    private static partial Regex PidPrefix();

    /// <summary>
    /// The number literals of address, length and offset parameters, found through the parser (so a
    /// <c>0</c> in <c>$fd0</c> or a fill byte is never touched). Negated literals (<c>-4K</c>) are left alone:
    /// making them smaller in magnitude changes what they test.
    /// </summary>
    private static List<NumberLiteral> NumberLiterals(List<string> list, ScenarioScript script)
    {
        var found = new List<NumberLiteral>();
        foreach (var statement in script.Statements.OfType<CallStatement>())
        {
            var index = statement.Pos.Line - 1;
            for (var i = 0; i < statement.Args.Count; i++)
            {
                var name = statement.Call.Params[i].Name;
                LiteralKind? kind = s_addressParams.Contains(name) ? LiteralKind.Address
                    : s_lengthParams.Contains(name) ? LiteralKind.Length
                    : s_offsetParams.Contains(name) ? LiteralKind.Offset
                    : null;
                if (kind is null)
                    continue;
                foreach (var number in Numbers(statement.Args[i]))
                {
                    var start = number.Pos.Column - 1;
                    var token = NumberToken().Match(list[index], start);
                    if (token.Success && number.Value >= 0)
                        found.Add(new NumberLiteral(index, start, token.Length, (ulong)number.Value, kind.Value));
                }
            }
        }
        return found;
    }

    private static IEnumerable<NumberExpr> Numbers(Expr expr)
    {
        switch (expr)
        {
            case NumberExpr n:
                yield return n;
                break;
            case BinaryExpr b:
                foreach (var n in Numbers(b.Left).Concat(Numbers(b.Right)))
                    yield return n;
                break;
        }
    }

    /// <summary>Simpler values for a literal, simplest first; each is smaller than the literal.</summary>
    private static IEnumerable<ulong> Candidates(NumberLiteral literal, ulong lowestAddress)
    {
        var v = literal.Value;
        var candidates = new List<ulong>();
        var inPage = v & (PageSize - 1);
        var page = v - inPage;
        switch (literal.Kind)
        {
            case LiteralKind.Address when v >= MmapMinAddr:
            {
                // Toward the start of the window the scenario works in (the fuzz window, or else vm.mmap_min_addr)
                // and never below it: an address outside the window may be the host runner's. The offset in
                // the page stays: an unaligned address is usually the point of its statement.
                var floor = v >= ScenarioGenerator.WindowStart ? ScenarioGenerator.WindowStart : MmapMinAddr;
                var low = Math.Max(lowestAddress, floor);
                candidates.Add(floor + inPage);
                candidates.Add(low + inPage);
                if (page > floor)
                    candidates.Add(floor + ((page - floor) / 2 & ~(PageSize - 1)) + inPage);
                if (page - PageSize >= floor)
                    candidates.Add(page - PageSize + inPage);
                break;
            }
            case LiteralKind.Address or LiteralKind.Offset:
                // A page offset (from $brk0, or into a file): fewer pages, same offset in the page.
                if (page > 0)
                {
                    candidates.Add(inPage);
                    candidates.Add((page / 2 & ~(PageSize - 1)) + inPage);
                    candidates.Add(page - PageSize + inPage);
                }
                break;
            case LiteralKind.Length when v > PageSize:
                if (inPage == 0)
                {
                    candidates.Add(PageSize);
                    candidates.Add(v / 2 & ~(PageSize - 1));
                }
                else
                {
                    candidates.Add(inPage);
                }
                candidates.Add(v - PageSize);
                break;
            case LiteralKind.Length when v is > 1 and < PageSize:
                candidates.Add(1);
                candidates.Add(v / 2);
                break;
        }
        return candidates.Where(c => c < v).Distinct();
    }

    private static List<string> Replace(List<string> list, List<NumberLiteral> literals, LiteralKind kind, ulong value)
    {
        var text = kind == LiteralKind.Address && value >= MmapMinAddr
            ? $"0x{value:x}"
            : value > 0 && value % 1024 == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{value / 1024}K")
                : value.ToString(CultureInfo.InvariantCulture);
        var result = list.ToList();
        // Right to left within a statement, so earlier positions stay valid.
        foreach (var literal in literals.OrderByDescending(l => l.Index).ThenByDescending(l => l.Start))
        {
            var s = result[literal.Index];
            result[literal.Index] = string.Concat(s.AsSpan(0, literal.Start), text, s.AsSpan(literal.Start + literal.Length));
        }
        return result;
    }
}
