namespace MmSim.Scenario;

/// <summary>A place in a scenario file. Lines and columns count from 1; a tab is one column.</summary>
public readonly record struct SourcePos(string File, int Line, int Column)
{
    /// <summary><c>FILE:LINE</c>, how a failed statement is reported.</summary>
    public string FileLine => $"{File}:{Line}";

    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>
/// A malformed scenario file: bad syntax, an unknown call, symbol or errno, a wrong argument count or an
/// undefined variable. Found before anything runs. <see cref="Exception.Message"/> is the compiler-style
/// <c>FILE:LINE:COL: error: ...</c> line, with what it quotes from the file made printable.
/// </summary>
public sealed class ScenarioSyntaxException(SourcePos pos, string detail)
    : Exception($"{pos}: error: {SourceText.Printable(detail)}")
{
    public SourcePos Pos { get; } = pos;

    /// <summary>The message without its position, e.g. <c>expected ')', found ','</c>, made printable.</summary>
    public string Detail { get; } = SourceText.Printable(detail);
}
