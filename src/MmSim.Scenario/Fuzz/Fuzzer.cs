using MmSim.Scenario.Diff;

namespace MmSim.Scenario.Fuzz;

/// <summary>A divergence the fuzzer found, shrunk: the minimal scenario is the bug report.</summary>
/// <param name="Seed">The seed of the generated scenario that diverged.</param>
/// <param name="Divergence">How the minimal scenario diverges.</param>
/// <param name="Report">The minimal scenario as a .mms file, with a header naming the seed and the difference.</param>
/// <param name="OriginalStatements">How many statements the generated scenario had.</param>
public sealed record FuzzFinding(int Seed, Divergence Divergence, string Report, int OriginalStatements);

/// <summary>
/// Generates scenarios, diffs each on two targets (the model and the kernel), and shrinks a divergent one to a
/// minimal scenario that still diverges the same way (same call, same aspect).
/// </summary>
public sealed class Fuzzer(Func<IScenarioTarget> left, Func<IScenarioTarget> right, KnownDifferences known)
{
    /// <summary>Runs one generated scenario; null when both targets agree throughout.</summary>
    public FuzzFinding? RunOne(FuzzOptions options)
    {
        string text = ScenarioGenerator.Generate(options);
        var lines = ScenarioShrinker.Split(text);
        var first = Diff(lines.Statements);
        if (first is null)
            return null;

        string call = CallName(first.Statement);
        bool SameFailure(IReadOnlyList<string> candidate) =>
            Diff(candidate) is { } d && CallName(d.Statement) == call && AspectKind(d.Aspect) == AspectKind(first.Aspect);

        var minimal = ScenarioShrinker.Shrink(lines.Statements, SameFailure);
        var divergence = Diff(minimal) ?? first;
        string header = $"mmsim fuzz --seed {options.Seed} --ops {options.Ops} --procs {options.Procs}: "
            + $"shrunk from {lines.Statements.Count} statements\n"
            + $"diverges at statement {divergence.Pos.Line - 2} ({divergence.Aspect}): {divergence.Statement}";
        return new FuzzFinding(options.Seed, divergence, ScenarioShrinker.Render(minimal, header), lines.Statements.Count);
    }

    private Divergence? Diff(IReadOnlyList<string> statements)
    {
        var script = ScenarioParser.Parse(string.Join('\n', statements), "fuzz.mms");
        using var l = left();
        using var r = right();
        return new ScenarioDiffer(known).Run(script, l, r).Divergence;
    }

    private static string CallName(string statement)
    {
        int paren = statement.IndexOf('(');
        string head = paren < 0 ? statement : statement[..paren];
        int bracket = head.LastIndexOf(']');
        return head[(bracket + 1)..].Trim();
    }

    private static string AspectKind(string aspect) => aspect == "result" ? "result" : "state";
}
