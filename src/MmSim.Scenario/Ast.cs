using MmSim.Abi;

namespace MmSim.Scenario;

/// <summary>A parsed scenario file: its statements in order, all checked before any runs.</summary>
public sealed record ScenarioScript(string File, IReadOnlyList<Statement> Statements);

/// <summary>One line of a scenario; <c>Source</c> is the statement as written, without its comment.</summary>
public abstract record Statement(SourcePos Pos, string Source, Expr? Pid);

/// <summary>
/// <c>[ "[pid" expr "]" ] NAME(args) [ "=" result | "&lt;unfinished ...&gt;" ]</c>; no <paramref name="Pid"/> means
/// <c>$main</c>. An <paramref name="Unfinished"/> call must block; its result is checked by the
/// <see cref="ResumedStatement"/> of the same task.
/// </summary>
public sealed record CallStatement(
    SourcePos Pos, string Source, Expr? Pid, CallSpec Call, IReadOnlyList<Expr> Args, Expectation? Expected,
    bool Unfinished = false)
    : Statement(Pos, Source, Pid);

/// <summary>
/// <c>[ "[pid" expr "]" ] "&lt;..." NAME "resumed&gt;" [ args ")" ] [ "=" result ]</c>: the task's blocked call has
/// completed, and its result is <paramref name="Expected"/> (checked against the call as it was written,
/// out-parameters included).
/// </summary>
public sealed record ResumedStatement(SourcePos Pos, string Source, Expr? Pid, string Name, Expectation? Expected)
    : Statement(Pos, Source, Pid)
{
    /// <summary>While parsing: the arguments after "resumed&gt;" that complete a call cut short. Null once used.</summary>
    internal IReadOnlyList<Expr>? Rest { get; init; }
}

/// <summary>
/// strace's call cut short, <c>read(3,  &lt;unfinished ...&gt;</c>: the arguments before the cut. The parser
/// completes it with the arguments of the task's next <see cref="ResumedStatement"/> into an unfinished
/// <see cref="CallStatement"/>; no CutShortCall outlives parsing.
/// </summary>
internal sealed record CutShortCall(SourcePos Pos, string Source, Expr? Pid, string Name, int NameColumn, IReadOnlyList<Expr> Args)
    : Statement(Pos, Source, Pid)
{
    /// <summary>The task as written ("[pid $t]", or "" for $main): the resumed line must name it the same way.</summary>
    public string Task => TaskOf(Source);

    /// <summary>The prefix naming a statement's task, without spaces.</summary>
    public static string TaskOf(string source) =>
        source.StartsWith('[') && source.IndexOf(']', StringComparison.Ordinal) is var end and > 0
            ? source[..(end + 1)].Replace(" ", "", StringComparison.Ordinal)
            : "";

    /// <summary>The whole call: these arguments, then the resumed line's.</summary>
    /// <exception cref="ScenarioSyntaxException">The two lines do not make a call, or name different calls.</exception>
    public CallStatement Complete(ResumedStatement resumed)
    {
        if (resumed.Name != Name)
            throw new ScenarioSyntaxException(resumed.Pos, $"expected '<... {Name} resumed>' to complete the {Name}() of line {Pos.Line}, found '<... {resumed.Name} resumed>'");
        List<Expr> args = [.. Args, .. resumed.Rest ?? []];
        var call = CallTable.Find(Name, args.Count)
            ?? throw new ScenarioSyntaxException(resumed.Pos, $"{Name} takes {CallTable.Arity(Name)}, found {args.Count} (line {Pos.Line} and this one)");
        BindExpr.CheckPlaces(call, args);
        for (var i = 0; i < args.Count; i++)
            call.Params[i].Check(args[i]);
        return new CallStatement(Pos, Source, Pid, call, args, null, Unfinished: true);
    }
}

/// <summary>An argument, or a value in a result, as written.</summary>
public abstract record Expr(SourcePos Pos)
{
    /// <summary>True for the forms that evaluate to a number: literals, variables, symbols and arithmetic.</summary>
    public bool IsNumeric => this is NumberExpr or VarExpr or SymbolExpr or NegateExpr or BinaryExpr;

    /// <summary>How deeply the expression nests: 1 for a leaf. The parser bounds it (<see cref="MaxDepth"/>), so
    /// that every recursive walk over an expression (evaluation, checks, printing) stays within the stack.</summary>
    public virtual int Depth => 1;

    /// <summary>The deepest expression a scenario may write: far beyond strace's output, far within the stack.</summary>
    public const int MaxDepth = 1000;
}

public sealed record NumberExpr(SourcePos Pos, long Value) : Expr(Pos);

public sealed record VarExpr(SourcePos Pos, string Name) : Expr(Pos);

public sealed record SymbolExpr(SourcePos Pos, string Name, long Value) : Expr(Pos);

public sealed record NegateExpr(SourcePos Pos, Expr Operand) : Expr(Pos)
{
    public override int Depth { get; } = 1 + Operand.Depth;
}

/// <summary><c>Op</c> is <c>+</c>, <c>-</c>, <c>|</c>, or <c>&lt;</c> for a left shift (<c>&lt;&lt;</c>).</summary>
public sealed record BinaryExpr(SourcePos Pos, char Op, Expr Left, Expr Right) : Expr(Pos)
{
    public override int Depth { get; } = 1 + Math.Max(Left.Depth, Right.Depth);
}

public sealed record StringExpr(SourcePos Pos, byte[] Bytes) : Expr(Pos);

public sealed record NullExpr(SourcePos Pos) : Expr(Pos);

/// <summary>
/// <c>$NAME</c> not bound yet, as the value of a struct field in an out-parameter that allows it
/// (<c>read($u, {event=UFFD_EVENT_FORK, fork={ufd=$child_uffd}}, 32) = 32</c>): bound to what the kernel writes
/// there, once the call has succeeded.
/// </summary>
public sealed record BindExpr(SourcePos Pos, string Name) : Expr(Pos)
{
    /// <summary>
    /// Every <see cref="BindExpr"/> must sit in an argument whose parameter binds outputs; elsewhere its variable is
    /// simply undefined.
    /// </summary>
    /// <exception cref="ScenarioSyntaxException">One is found in an argument that cannot bind.</exception>
    internal static void CheckPlaces(CallSpec call, IReadOnlyList<Expr> args)
    {
        for (var i = 0; i < args.Count && i < call.Params.Count; i++)
        {
            if (!call.Params[i].Kind.BindsOutputs && Find(args[i]) is { } bind)
                throw new ScenarioSyntaxException(bind.Pos, $"undefined variable ${bind.Name}");
        }
    }

    /// <summary>The first <see cref="BindExpr"/> in <paramref name="expr"/>, or null.</summary>
    internal static BindExpr? Find(Expr expr) => expr switch
    {
        BindExpr b => b,
        StructExpr s => s.Fields.Select(f => Find(f.Value) ?? (f.Out is null ? null : Find(f.Out))).FirstOrDefault(b => b is not null),
        ArrayExpr a => a.Items.Select(Find).FirstOrDefault(b => b is not null),
        _ => null,
    };
}

/// <summary><c>...</c> (or strace's <c>…</c>): a value that is not checked, for what the kernel writes.</summary>
public sealed record AnyExpr(SourcePos Pos) : Expr(Pos);

public sealed record StructExpr(SourcePos Pos, IReadOnlyList<FieldExpr> Fields) : Expr(Pos)
{
    public override int Depth { get; } = 1 + Fields.Select(f => Math.Max(f.Value.Depth, f.Out?.Depth ?? 0)).DefaultIfEmpty(0).Max();
}

/// <summary>
/// <c>NAME=VALUE</c>, or <c>NAME=IN =&gt; NAME=OUT</c> for a field the kernel reads and writes back, as strace prints a
/// changed value: <paramref name="Out"/> is then what the kernel is expected to write.
/// </summary>
public sealed record FieldExpr(SourcePos Pos, string Name, Expr Value, Expr? Out = null);

public sealed record ArrayExpr(SourcePos Pos, IReadOnlyList<Expr> Items) : Expr(Pos)
{
    public override int Depth { get; } = 1 + Items.Select(i => i.Depth).DefaultIfEmpty(0).Max();
}

/// <summary>What follows <c>=</c>. A statement without one never fails the run.</summary>
public abstract record Expectation(SourcePos Pos);

/// <summary><c>?</c>: run, check nothing.</summary>
public sealed record ExpectAnything(SourcePos Pos) : Expectation(Pos);

/// <summary>
/// A value: a number or expression (the return value; a failed syscall shows as <c>-1</c>, as in strace),
/// a string (load's bytes), a struct (smaps, status; only listed fields count) or NULL. <paramref name="Detail"/> is
/// what strace adds in parentheses after the value when it is an array: poll()'s entries with revents,
/// <c>= 1 ([{fd=3, revents=POLLIN}])</c>; other parenthesized text (<c>= 0 (Timeout)</c>) is not kept.
/// </summary>
public sealed record ExpectValue(SourcePos Pos, Expr Value, Expr? Detail = null) : Expectation(Pos);

/// <summary><c>= $name</c> with <c>$name</c> not yet bound: the call must succeed, and binds its return value.</summary>
public sealed record ExpectBind(SourcePos Pos, string Name) : Expectation(Pos);

/// <summary><c>= -1 EINVAL (Invalid argument)</c>; the text in parentheses is not compared.</summary>
public sealed record ExpectErrno(SourcePos Pos, Errno Errno) : Expectation(Pos);

/// <summary><c>= SIGSEGV</c>, optionally with siginfo fields <c>{si_code=SEGV_ACCERR, si_addr=$a}</c>;
/// <c>= SIGKILL</c> expects the process to be killed.</summary>
public sealed record ExpectSignal(SourcePos Pos, int Signal, StructExpr? Info) : Expectation(Pos);
