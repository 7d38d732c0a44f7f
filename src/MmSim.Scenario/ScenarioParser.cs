namespace MmSim.Scenario;

// The MmSim scenario language (*.mms): strace's notation, read back as a test.
//
// One statement per line; '#' starts a comment (outside strings); blank lines are ignored.
//
//     statement := [ "[pid " expr "]" ] ( call [ "=" result | "<unfinished ...>" ] | cut | resumed )
//     call      := NAME "(" [ arg { "," arg } ] ")"
//     cut       := NAME "(" [ arg "," { arg "," } ] "<unfinished ...>"     strace's call cut short: the rest
//                                    of its arguments come on its resumed line
//     resumed   := "<..." NAME "resumed>" [ arg { "," arg } ] [ ")" ] [ "=" result ]
//     arg       := expr | flags | string | struct | array | "NULL"
//     expr      := number | "$"NAME | SYMBOL | "-" expr | expr ("+" | "-") expr
//     flags     := expr { "|" expr }               '|' binds looser than '+' and '-', as in C
//     number    := decimal | 0x hex, then an optional K, M or G suffix (binary multiples: 4K = 4096)
//     SYMBOL    := a Linux macro name from MmSim.Abi (PROT_READ, MAP_FIXED, RLIMIT_STACK, SIGKILL,
//                  READ and WRITE for touch(), RLIM64_INFINITY...), see Symbols
//     string    := C string literal with the escapes \n \t \\ \" \xNN and octal \N, \NN, \NNN
//     struct    := "{" NAME "=" arg { "," NAME "=" arg } "}"          strace's struct syntax. In a call's
//                  arguments, a field whose value is a lone unbound $NAME binds it to what the kernel writes
//                  there, if the parameter allows it (read()'s uffd_msg: fork={ufd=$child_uffd})
//     array     := "[" arg { "," arg } "]"
//     result    := expr [ "(" text ")" ]   expected return value; a failed call counts as -1, as strace shows it.
//                                    strace's parenthesized decoding after it is skipped, except poll()'s ready
//                                    entries, "([{fd=3, revents=POLLIN}])", which are checked.
//                                    A lone $NAME that is not yet bound is bound to the return value
//                                    instead, and the call must succeed.
//                | "-1" ERRNO [ "(" text ")" ]    expected failure: = -1 EINVAL (Invalid argument);
//                                                 the text is free and not compared
//                | SIGNAL [ struct ] expected signal from a memory access (SIGSEGV, SIGBUS), optionally with
//                                    siginfo fields {si_code=SEGV_ACCERR, si_addr=$a}; SIGKILL: the process
//                                    was killed meanwhile
//                | string            expected bytes from load() (or the text of maps()/meminfo())
//                | struct            expected fields from smaps(), status()...; only listed fields count
//                | "NULL"            smaps() found no VMA
//                | "?"               run, check nothing
//
// Names and scope: the scenario starts with one process, $main. A variable is bound by a result
// (fork() = $c) and may be used on any later line; using it earlier is an error. "[pid $c]" runs the
// statement in that process. The calls and their parameters are CallTable's. Out-parameters (getrlimit's
// struct) are written as the expected struct, as strace prints them filled in.
//
// The whole file is parsed and checked (calls, argument counts and kinds, symbols, errno names,
// variables) before anything runs; the first problem is a ScenarioSyntaxException at its exact
// FILE:LINE:COL, worded "expected X, found Y" for syntax.

/// <summary>Reads <c>*.mms</c> files; the language is described at the top of this file.</summary>
public static class ScenarioParser
{
    /// <summary>The largest scenario file read: 256 MiB. A longer one (or /dev/zero) is refused, not read to exhaustion.</summary>
    public const int MaxFileBytes = 256 << 20;

    /// <exception cref="ScenarioSyntaxException">The file is malformed, or not UTF-8.</exception>
    /// <exception cref="IOException">The file cannot be read, or holds more than <see cref="MaxFileBytes"/>.</exception>
    public static ScenarioScript ParseFile(string path) => Parse(SourceText.Decode(ReadBounded(path), path), path);

    private static byte[] ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        for (int n; (n = stream.Read(chunk)) > 0;)
        {
            if (buffer.Length + n > MaxFileBytes)
                throw new IOException($"larger than {MaxFileBytes >> 20} MiB, the most a scenario file may hold");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    /// <exception cref="ScenarioSyntaxException">The file is malformed.</exception>
    public static ScenarioScript Parse(string text, string file)
    {
        var bound = new HashSet<string>(StringComparer.Ordinal) { ScenarioRunner.MainVariable };
        var statements = new List<Statement>();
        // Calls cut short ("read(3,  <unfinished ...>"), by task, waiting for the resumed line with the rest.
        var cut = new Dictionary<string, (int Index, CutShortCall Call)>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lexer = new Lexer(lines[i].TrimEnd('\r'), file, i + 1);
            var parsed = new LineParser(lexer, bound).ParseStatement();
            switch (parsed)
            {
                case null:
                    continue;
                case CutShortCall partial:
                    if (cut.TryGetValue(partial.Task, out var earlier))
                        throw new ScenarioSyntaxException(earlier.Call.Pos, $"{earlier.Call.Name}() is cut short by <unfinished ...> but never resumed");
                    cut[partial.Task] = (statements.Count, partial);
                    statements.Add(partial);
                    break;
                case ResumedStatement resumed when cut.Remove(CutShortCall.TaskOf(resumed.Source), out var pending):
                    statements[pending.Index] = pending.Call.Complete(resumed);
                    statements.Add(resumed with { Rest = null });
                    break;
                case ResumedStatement { Rest: { Count: > 0 } rest } resumed:
                    throw new ScenarioSyntaxException(rest[0].Pos, $"arguments after '<... {resumed.Name} resumed>' complete a call cut short by <unfinished ...>, and this task has none");
                case ResumedStatement plain:
                    statements.Add(plain with { Rest = null });
                    break;
                default:
                    statements.Add(parsed);
                    break;
            }
        }
        if (cut.Count > 0)
        {
            var first = cut.Values.MinBy(c => c.Index).Call;
            throw new ScenarioSyntaxException(first.Pos, $"{first.Name}() is cut short by <unfinished ...>: a later '<... {first.Name} resumed>' line must give the rest of its arguments");
        }
        return new ScenarioScript(file, statements);
    }

    private sealed class LineParser
    {
        private readonly Lexer _lexer;
        private readonly HashSet<string> _bound;
        private Token _token;
        // How many '[', '{' and unary '-' the parser is inside. Each counts against Expr.MaxDepth before it
        // descends, so a line of 60,000 '[' is an error at the first one too deep, not a stack overflow.
        private int _nesting;
        // Inside a call's arguments (where out-parameter fields may bind), and the names bound there.
        private bool _inArgs;
        private readonly HashSet<string> _outputBinds = new(StringComparer.Ordinal);

        public LineParser(Lexer lexer, HashSet<string> bound)
        {
            _lexer = lexer;
            _bound = bound;
            _token = lexer.Next();
        }

        public Statement? ParseStatement()
        {
            var statement = ParseLine();
            // Variables bound by out-parameter fields exist from the next statement on.
            _bound.UnionWith(_outputBinds);
            return statement;
        }

        private Statement? ParseLine()
        {
            if (_token.Kind == TokenKind.End)
                return null;
            var start = _token.Column;

            Expr? pid = null;
            if (Accept('['))
            {
                if (!_token.IsName("pid"))
                    throw Expected("'pid'");
                Advance();
                pid = ParseNumeric();
                Expect(']');
            }

            if (_token.Is(Lexer.ResumedOpen))
                return ParseResumed(start, pid);
            if (_token.Kind != TokenKind.Name)
                throw Expected("a call name");
            var name = _token;
            if (!CallTable.IsKnown(name.Text))
                throw Error(name.Column, $"unknown call '{name.Text}'");
            Advance();

            Expect('(');
            var args = new List<Expr>();
            // strace cuts a call short where its arguments stop being inputs: "read(3,  <unfinished ...>".
            _inArgs = true;
            if (!_token.Is(')') && !_token.Is(Lexer.Unfinished))
            {
                do
                {
                    if (_token.Is(Lexer.Unfinished))
                        break;
                    args.Add(ParseArg());
                }
                while (Accept(','));
            }
            _inArgs = false;
            if (_token.Is(Lexer.Unfinished))
            {
                Advance();
                if (_token.Kind != TokenKind.End)
                    throw Expected("end of line after '<unfinished ...>'");
                return new CutShortCall(_lexer.At(start), Source(start), pid, name.Text, name.Column, args);
            }
            if (!_token.Is(')'))
                throw Expected(args.Count == 0 ? "an argument or ')'" : "',' or ')'");
            Advance();

            var call = CallTable.Find(name.Text, args.Count)
                ?? throw Error(name.Column, $"{name.Text} takes {CallTable.Arity(name.Text)}, found {args.Count}");
            BindExpr.CheckPlaces(call, args);
            for (var i = 0; i < args.Count; i++)
                call.Params[i].Check(args[i]);

            // A call that blocks: "<unfinished ...>" instead of a result, which its "<... NAME resumed>" line gives.
            if (_token.Is(Lexer.Unfinished))
            {
                Advance();
                if (_token.Kind != TokenKind.End)
                    throw Expected("end of line after '<unfinished ...>'");
                return new CallStatement(_lexer.At(start), Source(start), pid, call, args, null, Unfinished: true);
            }
            var expected = Accept('=') ? ParseResult() : null;
            if (_token.Kind != TokenKind.End)
                throw Expected(expected is null ? "'=', '<unfinished ...>' or end of line" : "end of line");
            return new CallStatement(_lexer.At(start), Source(start), pid, call, args, expected);
        }

        private string Source(int start) => _lexer.Line[(start - 1)..(_token.Column - 1)].Trim();

        // "<..." NAME "resumed>" [ ")" ] [ "=" result ]: strace's second half of a call another task interrupted.
        private ResumedStatement ParseResumed(int start, Expr? pid)
        {
            Advance();
            if (_token.Kind != TokenKind.Name || !CallTable.IsKnown(_token.Text))
                throw Expected("the name of the call that resumes");
            var name = _token.Text;
            Advance();
            if (!_token.IsName("resumed"))
                throw Expected("'resumed'");
            Advance();
            Expect('>', "'>'");
            // The rest of a call cut short: its remaining arguments, then ')'.
            var rest = new List<Expr>();
            if (!_token.Is(')') && !_token.Is('=') && _token.Kind != TokenKind.End)
            {
                _inArgs = true;
                do
                    rest.Add(ParseArg());
                while (Accept(','));
                _inArgs = false;
                if (!_token.Is(')'))
                    throw Expected("',' or ')'");
            }
            Accept(')');
            var expected = Accept('=') ? ParseResult() : null;
            if (_token.Kind != TokenKind.End)
                throw Expected(expected is null ? "'=' or end of line" : "end of line");
            return new ResumedStatement(_lexer.At(start), Source(start), pid, name, expected) { Rest = rest };
        }

        private Expectation ParseResult()
        {
            var pos = Pos(_token);
            if (Accept('?'))
                return new ExpectAnything(pos);
            if (_token.Kind == TokenKind.Name && _token.Text.StartsWith("SIG", StringComparison.Ordinal)
                && Symbols.TryGet(_token.Text, out var signal))
            {
                Advance();
                return new ExpectSignal(pos, (int)signal, _token.Is('{') ? ParseStruct() : null);
            }
            if (_token.Kind == TokenKind.Variable && !_bound.Contains(_token.Text))
            {
                var name = _token.Text;
                Advance();
                if (_token.Kind != TokenKind.End || _outputBinds.Contains(name))
                    throw Error(pos.Column, $"undefined variable ${name}");
                _bound.Add(name);
                return new ExpectBind(pos, name);
            }

            var value = ParseArg();
            if (_token.Kind == TokenKind.Name && value is NegateExpr { Operand: NumberExpr { Value: 1 } })
                return ParseErrno(pos);
            // strace's decoding after the value: "= 1 ([{fd=3, revents=POLLIN}])" is kept, "= 0 (Timeout)" skipped.
            Expr? detail = null;
            if (_token.Is('(') && _lexer.PeekChar() == '[')
            {
                Advance();
                detail = ParseArg();
                Expect(')', "')'");
            }
            else if (_token.Is('('))
            {
                if (_lexer.ReadRawUntil(')') is null)
                    throw Error(_lexer.Line.Length + 1, "expected ')', found end of line");
                Advance();
            }
            return new ExpectValue(pos, value, detail);
        }

        // after "-1": ERRNO [ "(" free text ")" ]
        private ExpectErrno ParseErrno(SourcePos pos)
        {
            if (!Symbols.TryGetErrno(_token.Text, out var errno))
                throw Error(_token.Column, $"unknown errno '{_token.Text}'");
            Advance();
            if (_token.Is('('))
            {
                if (_lexer.ReadRawUntil(')') is null)
                    throw Error(_lexer.Line.Length + 1, "expected ')', found end of line");
                Advance();
            }
            return new ExpectErrno(pos, errno);
        }

        private Expr ParseArg()
        {
            var pos = Pos(_token);
            switch (_token.Kind)
            {
                case TokenKind.String:
                    var bytes = _token.Bytes!;
                    Advance();
                    return new StringExpr(pos, bytes);
                case TokenKind.Name when _token.Text == "NULL":
                    Advance();
                    return new NullExpr(pos);
                case TokenKind.Punct when _token.Is(Lexer.Ellipsis):
                    Advance();
                    return new AnyExpr(pos);
                case TokenKind.Punct when _token.Is('{'):
                    return ParseStruct();
                case TokenKind.Punct when _token.Is('['):
                    Enter();
                    Advance();
                    var items = new List<Expr>();
                    do
                        items.Add(ParseArg());
                    while (Accept(','));
                    Expect(']', "',' or ']'");
                    _nesting--;
                    return new ArrayExpr(pos, items);
                case TokenKind.Number or TokenKind.Variable or TokenKind.Name:
                case TokenKind.Punct when _token.Is('-'):
                    return ParseNumeric();
                default:
                    throw Expected("an argument");
            }
        }

        private StructExpr ParseStruct()
        {
            var pos = Pos(_token);
            Enter();
            Expect('{');
            var fields = new List<FieldExpr>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            do
            {
                if (_token.Kind != TokenKind.Name)
                    throw Expected("a field name");
                var field = _token;
                if (!names.Add(field.Text))
                    throw Error(field.Column, $"duplicate field '{field.Text}'");
                Advance();
                Expect('=');
                var value = ParseFieldValue();
                Expr? written = null;
                // NAME=IN => NAME=OUT: what the kernel read, then what it is expected to write back.
                if (_token.Is("=>"))
                {
                    Advance();
                    if (!_token.IsName(field.Text))
                        throw Expected($"'{field.Text}' after '=>'");
                    Advance();
                    Expect('=');
                    written = ParseFieldValue();
                }
                fields.Add(new FieldExpr(Pos(field), field.Text, value, written));
            }
            while (Accept(','));
            Expect('}', "',' or '}'");
            _nesting--;
            return new StructExpr(pos, fields);
        }

        // A field's value; in a call's arguments, a lone unbound $NAME binds what the kernel writes there.
        private Expr ParseFieldValue()
        {
            if (!_inArgs || _token.Kind != TokenKind.Variable || _bound.Contains(_token.Text))
                return ParseArg();
            var bind = new BindExpr(Pos(_token), _token.Text);
            Advance();
            if (!_token.Is(',') && !_token.Is('}') && !_token.Is("=>"))
                throw Error(bind.Pos.Column, $"undefined variable ${bind.Name}");
            if (!_outputBinds.Add(bind.Name))
                throw Error(bind.Pos.Column, $"${bind.Name} is bound twice in this statement");
            return bind;
        }

        // flags := shift { "|" shift }; shift := sum { "<<" sum }; sum := unary { ("+" | "-") unary }: C's precedence.
        private Expr ParseNumeric()
        {
            var left = ParseShift();
            while (_token.Is('|'))
            {
                var pos = Pos(_token);
                Advance();
                left = Bounded(new BinaryExpr(pos, '|', left, ParseShift()));
            }
            return left;
        }

        private Expr ParseShift()
        {
            var left = ParseSum();
            while (_token.Kind == TokenKind.Punct && _token.Text == "<<")
            {
                var pos = Pos(_token);
                Advance();
                left = Bounded(new BinaryExpr(pos, '<', left, ParseSum()));
            }
            return left;
        }

        private Expr ParseSum()
        {
            var left = ParseUnary();
            while (_token.Is('+') || _token.Is('-'))
            {
                var pos = Pos(_token);
                var op = _token.Text[0];
                Advance();
                left = Bounded(new BinaryExpr(pos, op, left, ParseUnary()));
            }
            return left;
        }

        private Expr ParseUnary()
        {
            var token = _token;
            var pos = Pos(token);
            switch (token.Kind)
            {
                case TokenKind.Punct when token.Is('-'):
                    Enter();
                    Advance();
                    var negated = new NegateExpr(pos, ParseUnary());
                    _nesting--;
                    return negated;
                case TokenKind.Number:
                    Advance();
                    return new NumberExpr(pos, token.Number);
                case TokenKind.Variable:
                    if (!_bound.Contains(token.Text))
                        throw Error(token.Column, $"undefined variable ${token.Text}");
                    Advance();
                    return new VarExpr(pos, token.Text);
                case TokenKind.Name:
                    if (!Symbols.TryGet(token.Text, out var value))
                        throw Error(token.Column, $"unknown symbol '{token.Text}'");
                    Advance();
                    return new SymbolExpr(pos, token.Text, value);
                default:
                    throw Expected("a number, $variable or symbol");
            }
        }

        private void Advance() => _token = _lexer.Next();

        private void Enter()
        {
            if (++_nesting > Expr.MaxDepth)
                throw Error(_token.Column, $"expression nests deeper than {Expr.MaxDepth} levels");
        }

        // A chain of binary operators builds a tree as deep as the chain is long, without recursing: bound it too.
        private BinaryExpr Bounded(BinaryExpr node) => node.Depth + _nesting <= Expr.MaxDepth
            ? node
            : throw Error(node.Pos.Column, $"expression nests deeper than {Expr.MaxDepth} levels");

        private bool Accept(char punct)
        {
            if (!_token.Is(punct))
                return false;
            Advance();
            return true;
        }

        private void Expect(char punct, string? what = null)
        {
            if (!Accept(punct))
                throw Expected(what ?? $"'{punct}'");
        }

        private SourcePos Pos(Token token) => _lexer.At(token.Column);

        private ScenarioSyntaxException Expected(string what) =>
            Error(_token.Column, $"expected {what}, found {_token.Describe()}");

        private ScenarioSyntaxException Error(int column, string detail) => new(_lexer.At(column), detail);
    }
}
