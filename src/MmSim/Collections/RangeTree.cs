using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace MmSim.Collections;

/// <summary>
/// An item kept in a <see cref="RangeTree{T}"/>: the half-open range [Start, End), Start &lt; End.
/// </summary>
/// <remarks>
/// The tree copies Start and End when the item is inserted and orders itself by those copies, so a change to an
/// item's range takes effect in the tree only at <see cref="RangeTree{T}.Update"/>.
/// </remarks>
public interface IRangeItem
{
    ulong Start { get; }

    ulong End { get; }

    /// <summary>
    /// Owned by the tree that holds the item: it keeps the item's node here so that Remove, Update, Next and Prev
    /// need no search and no side table. Implement as a plain auto-property and never assign it. With one slot an
    /// item can be in at most one tree at a time; the slot is null while the item is in none.
    /// </summary>
    object? TreeNode { get; set; }
}

/// <summary>
/// An ordered set of non-overlapping ranges: the simulator's counterpart of the maple tree behind mm->mm_mt.
/// </summary>
/// <remarks>
/// <para>
/// An AVL tree keyed by Start. Each node also records its subtree's span and the largest free gap between the
/// subtree's items, so that free-area searches (<see cref="FindGapTopDown"/>, <see cref="FindGapBottomUp"/>, the
/// equivalents of unmapped_area_topdown and unmapped_area) skip every subtree that cannot hold the request and run
/// in O(log n). The nodes are also threaded into a doubly linked list in address order, which makes First, Last,
/// Next, Prev and each enumeration step O(1).
/// </para>
/// <para>
/// Lookups and enumeration allocate nothing; Insert allocates one node. Not thread-safe.
/// </para>
/// <para>
/// Inserting an overlapping range, or updating a range so that it would overlap a neighbour, throws
/// <see cref="InvalidOperationException"/>: the caller (the mmap/munmap/mremap code) must clear the range first,
/// as the kernel does, so an overlap here is a bug in the caller rather than an error to report to a user.
/// </para>
/// </remarks>
public sealed class RangeTree<T> : IReadOnlyCollection<T>
    where T : class, IRangeItem
{
    private Node? _root;

    // Ends of the in-order thread: the nodes holding the lowest and highest items; both null iff the tree is empty.
    private Node? _first;
    private Node? _last;

    private int _count;

    // Changes on every Insert, Remove and Update, so enumerators can detect that the tree changed under them.
    private int _version;

    public int Count => _count;

    /// <summary>Changes on every structural change: Insert, Remove and Update.</summary>
    public int Version => _version;

    /// <summary>The lowest item, or null if the tree is empty.</summary>
    public T? First => _first?.Item;

    /// <summary>The highest item, or null if the tree is empty.</summary>
    public T? Last => _last?.Item;

    /// <summary>Adds <paramref name="item"/>, which must not overlap any item already in the tree.</summary>
    /// <exception cref="ArgumentException">The item's range is empty.</exception>
    /// <exception cref="InvalidOperationException">The item is already in a tree, or overlaps an item of this one.</exception>
    public void Insert(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.TreeNode is not null)
            throw new InvalidOperationException($"{item} is already in a RangeTree.");
        ulong start = item.Start;
        ulong end = item.End;
        if (start >= end)
            throw new ArgumentException($"Range [0x{start:x}, 0x{end:x}) of {item} is empty.", nameof(item));

        // Descend to the leaf position. The last node left of the path is the new node's predecessor, the last
        // node right of it its successor, and those two are the only items it could overlap.
        Node? parent = null;
        Node? prev = null;
        Node? next = null;
        for (var n = _root; n is not null;)
        {
            parent = n;
            if (start < n.Start)
            {
                next = n;
                n = n.Left;
            }
            else
            {
                prev = n;
                n = n.Right;
            }
        }

        if (prev is not null && prev.End > start)
            throw Overlap(item, prev.Item);
        if (next is not null && next.Start < end)
            throw Overlap(item, next.Item);

        var node = new Node(this, item) { Parent = parent, Prev = prev, Next = next };
        if (parent is null)
            _root = node;
        else if (parent == next)
            parent.Left = node;
        else
            parent.Right = node;

        if (prev is null)
            _first = node;
        else
            prev.Next = node;
        if (next is null)
            _last = node;
        else
            next.Prev = node;

        item.TreeNode = node;
        _count++;
        _version++;
        RebalanceToRoot(parent);
    }

    /// <summary>Removes <paramref name="item"/>.</summary>
    /// <exception cref="InvalidOperationException">The item is not in this tree.</exception>
    public void Remove(T item)
    {
        var node = NodeOf(item);

        // A node with two children cannot be unhooked directly. Its successor is the leftmost node of its right
        // subtree and so has no left child: move the successor's item into this node and unhook the successor's
        // node instead. The moved item's TreeNode follows it.
        if (node.Left is not null && node.Right is not null)
        {
            var successor = node.Next!;
            node.Item = successor.Item;
            node.Start = successor.Start;
            node.End = successor.End;
            node.Item.TreeNode = node;
            node = successor;
        }

        if (node.Prev is null)
            _first = node.Next;
        else
            node.Prev.Next = node.Next;
        if (node.Next is null)
            _last = node.Prev;
        else
            node.Next.Prev = node.Prev;

        Transplant(node, node.Left ?? node.Right);
        RebalanceToRoot(node.Parent);

        node.Owner = null;
        item.TreeNode = null;
        _count--;
        _version++;
    }

    /// <summary>
    /// Takes in a change that the caller made to <paramref name="item"/>'s Start and End. The new range must still
    /// lie between the item's neighbours (the item keeps its place in the order and overlaps nothing); the tree
    /// is not rebalanced, only the augmented gap data on the path to the root is recomputed.
    /// </summary>
    /// <exception cref="ArgumentException">The new range is empty.</exception>
    /// <exception cref="InvalidOperationException">
    /// The item is not in this tree, or its new range overlaps or crosses a neighbour; the tree then keeps the old range.
    /// </exception>
    public void Update(T item)
    {
        var node = NodeOf(item);
        ulong start = item.Start;
        ulong end = item.End;
        if (start >= end)
            throw new ArgumentException($"Range [0x{start:x}, 0x{end:x}) of {item} is empty.", nameof(item));
        if (node.Prev is { } prev && prev.End > start)
            throw Overlap(item, prev.Item);
        if (node.Next is { } next && next.Start < end)
            throw Overlap(item, next.Item);

        node.Start = start;
        node.End = end;
        for (var n = node; n is not null; n = n.Parent)
            Pull(n);
        _version++;
    }

    /// <summary>The item with Start &lt;= <paramref name="addr"/> &lt; End, or null if none.</summary>
    public T? Find(ulong addr)
    {
        var n = _root;
        while (n is not null)
        {
            if (addr < n.Start)
                n = n.Left;
            else if (addr >= n.End)
                n = n.Right;
            else
                return n.Item;
        }

        return null;
    }

    /// <summary>The first item with End &gt; <paramref name="addr"/>, or null if none (Linux find_vma).</summary>
    public T? FindFirstEndingAfter(ulong addr) => FirstEndingAfter(addr)?.Item;

    /// <summary>The last item with Start &lt; <paramref name="addr"/>, or null if none.</summary>
    public T? FindLastStartingBefore(ulong addr)
    {
        Node? found = null;
        var n = _root;
        while (n is not null)
        {
            if (n.Start < addr)
            {
                found = n;
                n = n.Right;
            }
            else
            {
                n = n.Left;
            }
        }

        return found?.Item;
    }

    /// <summary>The item after <paramref name="item"/> in address order, or null if it is the last.</summary>
    /// <exception cref="InvalidOperationException">The item is not in this tree.</exception>
    public T? Next(T item) => NodeOf(item).Next?.Item;

    /// <summary>The item before <paramref name="item"/> in address order, or null if it is the first.</summary>
    /// <exception cref="InvalidOperationException">The item is not in this tree.</exception>
    public T? Prev(T item) => NodeOf(item).Prev?.Item;

    /// <summary>The number of items that intersect [<paramref name="lo"/>, <paramref name="hi"/>). O(log n + result).</summary>
    public int CountIntersecting(ulong lo, ulong hi)
    {
        if (lo >= hi)
            return 0;
        var count = 0;
        for (var n = FirstEndingAfter(lo); n is not null && n.Start < hi; n = n.Next)
            count++;
        return count;
    }

    /// <summary>
    /// Finds the highest free gap, as unmapped_area_topdown does: the free range [<paramref name="gapStart"/>,
    /// <paramref name="gapEnd"/>) clipped to [<paramref name="low"/>, <paramref name="high"/>), at least
    /// <paramref name="length"/> long, that lies highest. Free space is everything not covered by an item, from 0 up to
    /// ulong.MaxValue (exclusive). O(log n).
    /// </summary>
    /// <returns>True if such a gap exists; otherwise false, with both bounds 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is 0.</exception>
    /// <exception cref="ArgumentException"><paramref name="low"/> is above <paramref name="high"/>.</exception>
    public bool FindGapTopDown(ulong low, ulong high, ulong length, out ulong gapStart, out ulong gapEnd)
    {
        CheckGapArguments(low, high, length);
        if (_root is null)
            return Clip(0, ulong.MaxValue, low, high, length, out gapStart, out gapEnd);

        return Clip(_root.MaxEnd, ulong.MaxValue, low, high, length, out gapStart, out gapEnd)
            || HighestGap(_root, low, high, length, out gapStart, out gapEnd)
            || Clip(0, _root.MinStart, low, high, length, out gapStart, out gapEnd);
    }

    /// <summary>
    /// Finds the lowest free gap, as unmapped_area does; otherwise the same as <see cref="FindGapTopDown"/>.
    /// </summary>
    /// <returns>True if such a gap exists; otherwise false, with both bounds 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is 0.</exception>
    /// <exception cref="ArgumentException"><paramref name="low"/> is above <paramref name="high"/>.</exception>
    public bool FindGapBottomUp(ulong low, ulong high, ulong length, out ulong gapStart, out ulong gapEnd)
    {
        CheckGapArguments(low, high, length);
        if (_root is null)
            return Clip(0, ulong.MaxValue, low, high, length, out gapStart, out gapEnd);

        return Clip(0, _root.MinStart, low, high, length, out gapStart, out gapEnd)
            || LowestGap(_root, low, high, length, out gapStart, out gapEnd)
            || Clip(_root.MaxEnd, ulong.MaxValue, low, high, length, out gapStart, out gapEnd);
    }

    /// <summary>
    /// The items that intersect [<paramref name="lo"/>, <paramref name="hi"/>), in address order. Changing the tree
    /// during the enumeration makes the next MoveNext throw.
    /// </summary>
    public RangeEnumerator Intersecting(ulong lo, ulong hi) => new(this, lo, hi);

    /// <summary>All items in address order. Changing the tree during the enumeration makes the next MoveNext throw.</summary>
    public RangeEnumerator GetEnumerator() => new(this, 0, ulong.MaxValue);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Checks every invariant of the tree and throws <see cref="InvalidOperationException"/> at the first one broken:
    /// in-order sorted and non-overlapping items, cached ranges equal to the items' ranges, parent links, the thread
    /// list, AVL heights and balance, the augmented span and gap data, and Count. O(n); meant for tests and debugging.
    /// </summary>
    internal void Validate()
    {
        if (_root is not null && _root.Parent is not null)
            Fail("the root has a parent");
        Node? last = null;
        var count = 0;
        ValidateSubtree(_root, null, ref last, ref count);
        if (last != _last)
            Fail("_last is not the last node in order");
        if (_last is not null && _last.Next is not null)
            Fail($"the last node {_last} has a Next");
        if (_first is null != (_root is null))
            Fail("_first is null but the tree is not empty, or the reverse");
        if (count != _count)
            Fail($"Count is {_count} but the tree holds {count} items");
    }

    // Checks n's subtree, visiting it in order with `prev` carried along as the previously visited node.
    private SubtreeFacts ValidateSubtree(Node? n, Node? parent, ref Node? prev, ref int count)
    {
        if (n is null)
            return default;
        if (n.Parent != parent)
            Fail($"{n} has parent {n.Parent?.ToString() ?? "null"}, expected {parent?.ToString() ?? "null"}");
        if (n.Owner != this || n.Item.TreeNode != n)
            Fail($"{n} is not linked to this tree and its item");
        if (n.Start != n.Item.Start || n.End != n.Item.End)
            Fail($"{n} caches a range other than its item's [0x{n.Item.Start:x}, 0x{n.Item.End:x}): missing Update?");
        if (n.Start >= n.End)
            Fail($"{n} is empty");

        var left = ValidateSubtree(n.Left, n, ref prev, ref count);

        if (n.Prev != prev)
            Fail($"{n}.Prev is not the previous node in order");
        if (prev is null ? _first != n : prev.Next != n)
            Fail($"{n} is not the Next of the previous node in order");
        if (prev is not null && prev.End > n.Start)
            Fail($"{prev} and {n} overlap or are out of order");
        prev = n;
        count++;

        var right = ValidateSubtree(n.Right, n, ref prev, ref count);

        if (Math.Abs(left.Height - right.Height) > 1)
            Fail($"{n} is out of balance: heights {left.Height} and {right.Height}");
        var first = left.First ?? n;
        var last = right.Last ?? n;
        ulong maxGap = Math.Max(
            Math.Max(left.MaxGap, left.Last is null ? 0 : n.Start - left.Last.End),
            Math.Max(right.MaxGap, right.First is null ? 0 : right.First.Start - n.End));
        var facts = new SubtreeFacts(1 + Math.Max(left.Height, right.Height), first, last, maxGap);
        if (n.Height != facts.Height)
            Fail($"{n} has Height {n.Height}, expected {facts.Height}");
        if (n.MinStart != first.Start || n.MaxEnd != last.End || n.MaxGap != maxGap)
            Fail($"{n} has span [0x{n.MinStart:x}, 0x{n.MaxEnd:x}) and MaxGap 0x{n.MaxGap:x}, expected "
                + $"[0x{first.Start:x}, 0x{last.End:x}) and 0x{maxGap:x}");
        return facts;
    }

    [DoesNotReturn]
    private static void Fail(string what) =>
        throw new InvalidOperationException("RangeTree invariant broken: " + what + ".");

    private static InvalidOperationException Overlap(T item, T other) =>
        new($"{item} [0x{item.Start:x}, 0x{item.End:x}) overlaps or crosses {other} [0x{other.Start:x}, 0x{other.End:x}).");

    private Node NodeOf(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.TreeNode is Node node && node.Owner == this)
            return node;
        throw new InvalidOperationException($"{item} is not in this RangeTree.");
    }

    private Node? FirstEndingAfter(ulong addr)
    {
        Node? found = null;
        var n = _root;
        while (n is not null)
        {
            if (n.End > addr)
            {
                found = n;
                n = n.Left;
            }
            else
            {
                n = n.Right;
            }
        }

        return found;
    }

    private static void CheckGapArguments(ulong low, ulong high, ulong length)
    {
        ArgumentOutOfRangeException.ThrowIfZero(length);
        if (low > high)
            throw new ArgumentException($"Search window [0x{low:x}, 0x{high:x}) is inverted.", nameof(low));
    }

    // The search below enters a subtree only if its MaxGap is at least `length` and its span overlaps the window by at
    // least `length`. A subtree whose span lies inside the window is then certain to hold a fitting gap, and the search
    // descends through it along one path. Subtrees entered in vain straddle `low` or `high`, and there is at most one
    // such subtree per level for each bound, so a search visits O(log n) nodes.

    // The highest fitting gap between two items of n's subtree.
    private static bool HighestGap(Node? n, ulong low, ulong high, ulong length, out ulong gapStart, out ulong gapEnd)
    {
        if (n is not null && MayHoldGap(n, low, high, length)
            && (HighestGap(n.Right, low, high, length, out gapStart, out gapEnd)
                || (n.Right is { } right && Clip(n.End, right.MinStart, low, high, length, out gapStart, out gapEnd))
                || (n.Left is { } left && Clip(left.MaxEnd, n.Start, low, high, length, out gapStart, out gapEnd))
                || HighestGap(n.Left, low, high, length, out gapStart, out gapEnd)))
        {
            return true;
        }

        gapStart = gapEnd = 0;
        return false;
    }

    // The lowest fitting gap between two items of n's subtree.
    private static bool LowestGap(Node? n, ulong low, ulong high, ulong length, out ulong gapStart, out ulong gapEnd)
    {
        if (n is not null && MayHoldGap(n, low, high, length)
            && (LowestGap(n.Left, low, high, length, out gapStart, out gapEnd)
                || (n.Left is { } left && Clip(left.MaxEnd, n.Start, low, high, length, out gapStart, out gapEnd))
                || (n.Right is { } right && Clip(n.End, right.MinStart, low, high, length, out gapStart, out gapEnd))
                || LowestGap(n.Right, low, high, length, out gapStart, out gapEnd)))
        {
            return true;
        }

        gapStart = gapEnd = 0;
        return false;
    }

    private static bool MayHoldGap(Node n, ulong low, ulong high, ulong length) =>
        n.MaxGap >= length && Fits(Math.Max(n.MinStart, low), Math.Min(n.MaxEnd, high), length);

    // Clips the free range [start, end) to the window [low, high) and reports whether at least `length` remains.
    private static bool Clip(ulong start, ulong end, ulong low, ulong high, ulong length, out ulong gapStart, out ulong gapEnd)
    {
        gapStart = Math.Max(start, low);
        gapEnd = Math.Min(end, high);
        if (Fits(gapStart, gapEnd, length))
            return true;
        gapStart = gapEnd = 0;
        return false;
    }

    private static bool Fits(ulong start, ulong end, ulong length) => start < end && end - start >= length;

    private static int HeightOf(Node? n) => n?.Height ?? 0;

    // Recomputes n's height, span and MaxGap from its own range and its children's data, which must be current.
    private static void Pull(Node n)
    {
        var left = n.Left;
        var right = n.Right;
        n.Height = 1 + Math.Max(HeightOf(left), HeightOf(right));
        n.MinStart = left?.MinStart ?? n.Start;
        n.MaxEnd = right?.MaxEnd ?? n.End;
        ulong maxGap = 0;
        if (left is not null)
            maxGap = Math.Max(left.MaxGap, n.Start - left.MaxEnd);
        if (right is not null)
            maxGap = Math.Max(maxGap, Math.Max(right.MaxGap, right.MinStart - n.End));
        n.MaxGap = maxGap;
    }

    // Recomputes and rebalances every node from n up to the root. It cannot stop early where heights stop changing,
    // as a plain AVL tree would: every ancestor's span and MaxGap may depend on the change.
    private void RebalanceToRoot(Node? n)
    {
        while (n is not null)
        {
            Pull(n);
            int balance = HeightOf(n.Left) - HeightOf(n.Right);
            if (balance > 1)
            {
                if (HeightOf(n.Left!.Left) < HeightOf(n.Left.Right))
                    RotateLeft(n.Left);
                n = RotateRight(n);
            }
            else if (balance < -1)
            {
                if (HeightOf(n.Right!.Right) < HeightOf(n.Right.Left))
                    RotateRight(n.Right);
                n = RotateLeft(n);
            }

            n = n.Parent;
        }
    }

    // Lifts n's right child into n's place and returns it.
    private Node RotateLeft(Node n)
    {
        var r = n.Right!;
        Transplant(n, r);
        n.Right = r.Left;
        if (n.Right is not null)
            n.Right.Parent = n;
        r.Left = n;
        n.Parent = r;
        Pull(n);
        Pull(r);
        return r;
    }

    // Lifts n's left child into n's place and returns it.
    private Node RotateRight(Node n)
    {
        var l = n.Left!;
        Transplant(n, l);
        n.Left = l.Right;
        if (n.Left is not null)
            n.Left.Parent = n;
        l.Right = n;
        n.Parent = l;
        Pull(n);
        Pull(l);
        return l;
    }

    // Hangs `replacement` where n hangs now: from n's parent, or as the root. n's own links are left alone.
    private void Transplant(Node n, Node? replacement)
    {
        var parent = n.Parent;
        if (parent is null)
            _root = replacement;
        else if (parent.Left == n)
            parent.Left = replacement;
        else
            parent.Right = replacement;
        if (replacement is not null)
            replacement.Parent = parent;
    }

    private sealed class Node(RangeTree<T> owner, T item)
    {
        // The tree the node is in; null once removed. Lets NodeOf reject items of another tree.
        public RangeTree<T>? Owner = owner;

        // Item.TreeNode == this while the node is in a tree.
        public T Item = item;

        // Item's range as of its Insert or latest Update: the tree orders and searches by these, not by the item.
        public ulong Start = item.Start;
        public ulong End = item.End;

        public Node? Left;
        public Node? Right;
        public Node? Parent;

        // Neighbours in address order; null at the ends.
        public Node? Prev;
        public Node? Next;

        // The subtree's height, 1 for a leaf. AVL invariant: the children's heights differ by at most 1.
        public int Height = 1;

        // The subtree's span: MinStart is its first item's Start, MaxEnd its last item's End.
        public ulong MinStart = item.Start;
        public ulong MaxEnd = item.End;

        // The largest free gap between two consecutive items of the subtree; 0 if it holds one item or none of its
        // items are apart. Gaps before its first or after its last item are counted at an ancestor, or, for the
        // tree's first and last items, by the gap searches themselves.
        public ulong MaxGap;

        public override string ToString() => $"node [0x{Start:x}, 0x{End:x})";
    }

    private readonly record struct SubtreeFacts(int Height, Node? First, Node? Last, ulong MaxGap);

    /// <summary>
    /// Enumerates the items that intersect a range, in address order. A struct, so that foreach allocates nothing;
    /// like SortedSet's enumerator it throws if the tree changes during enumeration.
    /// </summary>
    public struct RangeEnumerator : IEnumerator<T>
    {
        private readonly RangeTree<T> _tree;
        private readonly int _version;
        private readonly Node? _start;

        // Enumeration stops at the first item with Start >= _limit.
        private readonly ulong _limit;

        private Node? _next;
        private T? _current;

        internal RangeEnumerator(RangeTree<T> tree, ulong lo, ulong hi)
        {
            _tree = tree;
            _version = tree._version;
            _start = lo < hi ? tree.FirstEndingAfter(lo) : null;
            _limit = hi;
            _next = _start;
            _current = null;
        }

        /// <summary>The current item; undefined before the first MoveNext and after MoveNext returns false.</summary>
        public readonly T Current => _current!;

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_version != _tree._version)
                throw new InvalidOperationException("The RangeTree was changed during enumeration.");
            var n = _next;
            if (n is null || n.Start >= _limit)
            {
                _current = null;
                return false;
            }

            _current = n.Item;
            _next = n.Next;
            return true;
        }

        /// <summary>Returns this enumerator, so that foreach can run over <see cref="Intersecting"/>.</summary>
        public readonly RangeEnumerator GetEnumerator() => this;

        public void Reset()
        {
            if (_version != _tree._version)
                throw new InvalidOperationException("The RangeTree was changed during enumeration.");
            _next = _start;
            _current = null;
        }

        public readonly void Dispose()
        {
        }
    }
}
