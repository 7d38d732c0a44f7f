namespace MmSim.Scenario.Fuzz;

/// <summary>
/// Which statements bind which variables and which use them. A statement binds <c>$x</c> when <c>$x</c> is not bound
/// before it: as its whole result, or as a field of an out-parameter (the parser's rules); every other <c>$x</c> in
/// it is a use. A
/// call left <c>&lt;unfinished ...&gt;</c> and the <c>&lt;... NAME resumed&gt;</c> of the same task go together too:
/// the resumed line depends on the unfinished one as a use depends on its binding.
/// </summary>
internal sealed class StatementGraph
{
    private readonly string?[] _binds;
    private readonly List<string>[] _uses;
    // For each statement, the statements it depends on (the binders of what it uses, its unfinished call).
    private readonly List<int>[] _needs;

    public StatementGraph(IReadOnlyList<string> statements)
    {
        _binds = new string?[statements.Count];
        _uses = new List<string>[statements.Count];
        _needs = new List<int>[statements.Count];
        var binder = new Dictionary<string, int>(StringComparer.Ordinal);
        var unfinished = new Dictionary<string, int>(StringComparer.Ordinal);
        var bound = new HashSet<string>(StringComparer.Ordinal) { ScenarioRunner.MainVariable };
        for (var i = 0; i < statements.Count; i++)
        {
            var scan = StatementSyntax.Scan(statements[i]);
            // A variable not bound before is bound here: by the result, or by an out-parameter's field.
            var bind = scan.Result is ['$', ..] r && StatementSyntax.IsIdentifier(r.AsSpan(1)) && !bound.Contains(r[1..]) ? r[1..]
                : scan.Variables.FirstOrDefault(v => !bound.Contains(v));
            _binds[i] = bind;
            _uses[i] = scan.Variables.Where(v => v != ScenarioRunner.MainVariable && v != bind).Distinct().ToList();
            _needs[i] = [.. _uses[i].Where(binder.ContainsKey).Select(v => binder[v])];
            var task = scan.Variables.Count > 0 && scan.Code.StartsWith("[pid $", StringComparison.Ordinal) ? scan.Variables[0] : ScenarioRunner.MainVariable;
            if (scan.Code.EndsWith("<unfinished ...>", StringComparison.Ordinal))
                unfinished[task] = i;
            else if (scan.Code.Contains("<... ", StringComparison.Ordinal) && unfinished.Remove(task, out var call))
                _needs[i].Add(call);
            if (bind is not null)
            {
                bound.Add(bind);
                binder[bind] = i;
            }
        }
    }

    public int Count => _binds.Length;

    public string? Binds(int index) => _binds[index];

    public IReadOnlyList<string> Uses(int index) => _uses[index];

    /// <summary>The chunk and every later statement that depends on something removed, transitively.</summary>
    public bool[] RemovalClosure((int Start, int Count) chunk)
    {
        var removed = new bool[Count];
        Array.Fill(removed, true, chunk.Start, chunk.Count);
        return Close(removed);
    }

    /// <summary>The statements at <paramref name="indices"/> and every later one that depends on them, transitively.</summary>
    public bool[] RemovalClosure(IEnumerable<int> indices)
    {
        var removed = new bool[Count];
        foreach (var i in indices)
            removed[i] = true;
        return Close(removed);
    }

    /// <summary>The chunk and every statement something kept depends on, transitively.</summary>
    public bool[] KeepClosure((int Start, int Count) chunk)
    {
        var keep = new bool[Count];
        Array.Fill(keep, true, chunk.Start, chunk.Count);
        // What a statement depends on comes before it, so one backward pass reaches the fixpoint.
        for (var i = Count - 1; i >= 0; i--)
        {
            if (!keep[i])
                continue;
            foreach (var b in _needs[i])
                keep[b] = true;
        }
        return keep;
    }

    // Dependants come after what they depend on, so one forward pass reaches the fixpoint.
    private bool[] Close(bool[] removed)
    {
        for (var i = 0; i < Count; i++)
        {
            if (!removed[i] && _needs[i].Exists(b => removed[b]))
                removed[i] = true;
        }
        return removed;
    }
}

/// <summary>A statement's text scanned without parsing: its variables, its result text and its code without comment.</summary>
internal readonly record struct StatementSyntax(string Code, string? Result, IReadOnlyList<string> Variables)
{
    /// <summary>
    /// Scans <paramref name="line"/>: skips string literals, stops at a <c>#</c> comment, collects <c>$NAME</c>s
    /// and finds the <c>=</c> before the result (the first one outside brackets, so not a struct field's).
    /// </summary>
    public static StatementSyntax Scan(string line)
    {
        var variables = new List<string>();
        var depth = 0;
        var equals = -1;
        var end = line.Length;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"')
            {
                for (i++; i < line.Length && line[i] != '"'; i++)
                {
                    if (line[i] == '\\')
                        i++;
                }
                continue;
            }
            if (c == '#')
            {
                end = i;
                break;
            }
            if (c == '$')
            {
                var start = i + 1;
                while (i + 1 < line.Length && (char.IsAsciiLetterOrDigit(line[i + 1]) || line[i + 1] == '_'))
                    i++;
                if (i >= start)
                    variables.Add(line[start..(i + 1)]);
                continue;
            }
            if (c is '(' or '[' or '{')
                depth++;
            else if (c is ')' or ']' or '}')
                depth--;
            else if (c == '=' && depth == 0 && equals < 0)
                equals = i;
        }
        var code = line[..end].Trim();
        var result = equals >= 0 && equals < end ? line[(equals + 1)..end].Trim() : null;
        return new StatementSyntax(code, result, variables);
    }

    public static bool IsIdentifier(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
            return false;
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
                return false;
        }
        return true;
    }
}
