using MmSim.Collections;

namespace MmSim.Tests.Collections;

public sealed class RangeTreeTests
{
    private const ulong Top = ulong.MaxValue;

    private sealed class Item(ulong start, ulong end) : IRangeItem
    {
        public ulong Start { get; set; } = start;

        public ulong End { get; set; } = end;

        public object? TreeNode { get; set; }

        public override string ToString() => $"[0x{Start:x}, 0x{End:x})";
    }

    private static RangeTree<Item> TreeOf(params (ulong Start, ulong End)[] ranges)
    {
        var tree = new RangeTree<Item>();
        foreach (var (start, end) in ranges)
            tree.Insert(new Item(start, end));
        tree.Validate();
        return tree;
    }

    private static List<Item> Items(RangeTree<Item>.RangeEnumerator e)
    {
        var list = new List<Item>();
        foreach (var item in e)
            list.Add(item);
        return list;
    }

    private static (ulong, ulong)? GapTopDown(RangeTree<Item> tree, ulong low, ulong high, ulong length) =>
        tree.FindGapTopDown(low, high, length, out var s, out var e) ? (s, e) : null;

    private static (ulong, ulong)? GapBottomUp(RangeTree<Item> tree, ulong low, ulong high, ulong length) =>
        tree.FindGapBottomUp(low, high, length, out var s, out var e) ? (s, e) : null;

    [Fact]
    public void EmptyTree()
    {
        var tree = new RangeTree<Item>();
        tree.Validate();
        Assert.Empty(tree);
        Assert.Null(tree.First);
        Assert.Null(tree.Last);
        Assert.Null(tree.Find(0));
        Assert.Null(tree.Find(Top));
        Assert.Null(tree.FindFirstEndingAfter(0));
        Assert.Null(tree.FindLastStartingBefore(Top));
        Assert.Equal(0, tree.CountIntersecting(0, Top));
        Assert.Empty(Items(tree.GetEnumerator()));
        Assert.Empty(Items(tree.Intersecting(0, Top)));
        Assert.Equal((0UL, Top), GapTopDown(tree, 0, Top, 1));
        Assert.Equal((0UL, Top), GapBottomUp(tree, 0, Top, 1));
        Assert.Equal((0x1000UL, 0x5000UL), GapBottomUp(tree, 0x1000, 0x5000, 0x4000));
        Assert.Null(GapTopDown(tree, 0x1000, 0x5000, 0x4001));
        Assert.Null(GapBottomUp(tree, 0x1000, 0x1000, 1));
    }

    [Fact]
    public void FindHonoursHalfOpenRanges()
    {
        var tree = TreeOf((0x1000, 0x2000), (0x2000, 0x3000), (0x5000, 0x6000));
        Assert.Null(tree.Find(0xfff));
        Assert.Equal(0x1000UL, tree.Find(0x1000)!.Start);
        Assert.Equal(0x1000UL, tree.Find(0x1fff)!.Start);
        Assert.Equal(0x2000UL, tree.Find(0x2000)!.Start);
        Assert.Null(tree.Find(0x3000));
        Assert.Null(tree.Find(0x4fff));
        Assert.Equal(0x5000UL, tree.Find(0x5fff)!.Start);
        Assert.Null(tree.Find(0x6000));
        Assert.Null(tree.Find(Top));
    }

    [Fact]
    public void InsertKeepsOrderAndCount()
    {
        var tree = TreeOf((0x5000, 0x6000), (0x1000, 0x2000), (0x3000, 0x4000));
        Assert.Equal(3, tree.Count);
        Assert.Equal(0x1000UL, tree.First!.Start);
        Assert.Equal(0x5000UL, tree.Last!.Start);
        Assert.Equal([0x1000UL, 0x3000UL, 0x5000UL], Items(tree.GetEnumerator()).Select(i => i.Start));
    }

    [Fact]
    public void InsertAtTheEdgesOfTheAddressSpace()
    {
        var tree = TreeOf((0, 1), (Top - 1, Top));
        Assert.Equal(0UL, tree.Find(0)!.Start);
        Assert.Equal(Top - 1, tree.Find(Top - 1)!.Start);
        Assert.Null(tree.Find(Top));
        Assert.Equal((1UL, Top - 1), GapTopDown(tree, 0, Top, 1));
        Assert.Null(GapTopDown(tree, 0, Top, Top - 1));
    }

    [Theory]
    [InlineData(0x1000UL, 0x2000UL)] // identical
    [InlineData(0x0800UL, 0x1001UL)] // crosses the start
    [InlineData(0x1fffUL, 0x3000UL)] // crosses the end
    [InlineData(0x1800UL, 0x1900UL)] // inside
    [InlineData(0x0000UL, 0x9000UL)] // covers
    public void InsertRejectsOverlapAndLeavesTreeUnchanged(ulong start, ulong end)
    {
        var tree = TreeOf((0x1000, 0x2000), (0x4000, 0x5000));
        int version = tree.Version;
        var item = new Item(start, end);
        Assert.Throws<InvalidOperationException>(() => tree.Insert(item));
        Assert.Null(item.TreeNode);
        Assert.Equal(2, tree.Count);
        Assert.Equal(version, tree.Version);
        tree.Validate();
    }

    [Fact]
    public void InsertAcceptsAdjacentRanges()
    {
        var tree = TreeOf((0x1000, 0x2000), (0x3000, 0x4000));
        tree.Insert(new Item(0x2000, 0x3000));
        tree.Insert(new Item(0x0000, 0x1000));
        tree.Insert(new Item(0x4000, 0x5000));
        tree.Validate();
        Assert.Equal(5, tree.Count);
        Assert.Null(GapTopDown(tree, 0, 0x5000, 1));
    }

    [Fact]
    public void InsertRejectsEmptyRangesAndItemsAlreadyInATree()
    {
        var tree = new RangeTree<Item>();
        Assert.Throws<ArgumentException>(() => tree.Insert(new Item(0x1000, 0x1000)));
        Assert.Throws<ArgumentException>(() => tree.Insert(new Item(0x2000, 0x1000)));

        var item = new Item(0x1000, 0x2000);
        tree.Insert(item);
        Assert.Throws<InvalidOperationException>(() => tree.Insert(item));
        Assert.Throws<InvalidOperationException>(() => new RangeTree<Item>().Insert(item));
        tree.Validate();
    }

    [Fact]
    public void RemoveUnlinksTheItem()
    {
        var items = Enumerable.Range(0, 20).Select(i => new Item((ulong)i * 0x2000, (ulong)i * 0x2000 + 0x1000)).ToList();
        var tree = new RangeTree<Item>();
        foreach (var item in items)
            tree.Insert(item);

        // The root and inner nodes have two children; removing them exercises the successor swap.
        foreach (int i in new[] { 7, 0, 19, 10, 3, 15 })
        {
            int version = tree.Version;
            tree.Remove(items[i]);
            tree.Validate();
            Assert.NotEqual(version, tree.Version);
            Assert.Null(items[i].TreeNode);
            Assert.Null(tree.Find(items[i].Start));
        }

        Assert.Equal(14, tree.Count);
        Assert.Equal(items[1], tree.First);
        Assert.Equal(items[18], tree.Last);

        tree.Insert(items[7]);
        tree.Validate();
        Assert.Equal(items[7], tree.Find(items[7].Start));
    }

    [Fact]
    public void RemoveRejectsItemsNotInTheTree()
    {
        var tree = TreeOf((0x1000, 0x2000));
        var stranger = new Item(0x1000, 0x2000);
        Assert.Throws<InvalidOperationException>(() => tree.Remove(stranger));

        var other = new RangeTree<Item>();
        var otherItem = new Item(0x1000, 0x2000);
        other.Insert(otherItem);
        Assert.Throws<InvalidOperationException>(() => tree.Remove(otherItem));

        var item = tree.First!;
        tree.Remove(item);
        Assert.Throws<InvalidOperationException>(() => tree.Remove(item));
        Assert.Empty(tree);
        Assert.Null(tree.First);
        Assert.Null(tree.Last);
        tree.Validate();
    }

    [Fact]
    public void FindFirstEndingAfterIsFindVma()
    {
        var tree = TreeOf((0x1000, 0x2000), (0x3000, 0x4000));
        Assert.Equal(0x1000UL, tree.FindFirstEndingAfter(0)!.Start);
        Assert.Equal(0x1000UL, tree.FindFirstEndingAfter(0x1fff)!.Start);
        Assert.Equal(0x3000UL, tree.FindFirstEndingAfter(0x2000)!.Start); // End is exclusive
        Assert.Equal(0x3000UL, tree.FindFirstEndingAfter(0x2800)!.Start); // in a gap
        Assert.Equal(0x3000UL, tree.FindFirstEndingAfter(0x3fff)!.Start);
        Assert.Null(tree.FindFirstEndingAfter(0x4000));
        Assert.Null(tree.FindFirstEndingAfter(Top));
    }

    [Fact]
    public void FindLastStartingBefore()
    {
        var tree = TreeOf((0x1000, 0x2000), (0x3000, 0x4000));
        Assert.Null(tree.FindLastStartingBefore(0));
        Assert.Null(tree.FindLastStartingBefore(0x1000));
        Assert.Equal(0x1000UL, tree.FindLastStartingBefore(0x1001)!.Start);
        Assert.Equal(0x1000UL, tree.FindLastStartingBefore(0x3000)!.Start);
        Assert.Equal(0x3000UL, tree.FindLastStartingBefore(0x3001)!.Start);
        Assert.Equal(0x3000UL, tree.FindLastStartingBefore(Top)!.Start);
    }

    [Fact]
    public void NextAndPrevWalkTheOrder()
    {
        var tree = TreeOf((0x5000, 0x6000), (0x1000, 0x2000), (0x3000, 0x4000));
        var first = tree.First!;
        Assert.Null(tree.Prev(first));
        var second = tree.Next(first)!;
        Assert.Equal(0x3000UL, second.Start);
        var third = tree.Next(second)!;
        Assert.Equal(0x5000UL, third.Start);
        Assert.Null(tree.Next(third));
        Assert.Equal(second, tree.Prev(third));
        Assert.Equal(first, tree.Prev(second));
        Assert.Throws<InvalidOperationException>(() => tree.Next(new Item(0x1000, 0x2000)));
        Assert.Throws<InvalidOperationException>(() => tree.Prev(new Item(0x1000, 0x2000)));
    }

    [Fact]
    public void IntersectingAndCountIntersecting()
    {
        var tree = TreeOf((0x1000, 0x2000), (0x3000, 0x4000), (0x4000, 0x5000), (0x8000, 0x9000));
        void Check(ulong lo, ulong hi, params ulong[] starts)
        {
            Assert.Equal(starts, Items(tree.Intersecting(lo, hi)).Select(i => i.Start));
            Assert.Equal(starts.Length, tree.CountIntersecting(lo, hi));
        }

        Check(0, Top, 0x1000, 0x3000, 0x4000, 0x8000);
        Check(0, 0x1000);                         // touches the first item's start only
        Check(0x2000, 0x3000);                    // exactly a gap
        Check(0x1fff, 0x3001, 0x1000, 0x3000);
        Check(0x3fff, 0x4001, 0x3000, 0x4000);
        Check(0x4000, 0x4001, 0x4000);
        Check(0x4800, 0x8800, 0x4000, 0x8000);
        Check(0x9000, Top);
        Check(0x5000, 0x1000);                    // inverted window
        Check(0x1800, 0x1800);                    // empty window inside an item
    }

    [Fact]
    public void GapBeforeTheFirstItemStartsAtZero()
    {
        var tree = TreeOf((0x4000, 0x5000));
        Assert.Equal((0UL, 0x4000UL), GapBottomUp(tree, 0, 0x5000, 0x4000));
        Assert.Equal((0UL, 0x4000UL), GapTopDown(tree, 0, 0x5000, 0x4000));
        Assert.Null(GapTopDown(tree, 0, 0x5000, 0x4001));
        Assert.Equal((0x1000UL, 0x4000UL), GapBottomUp(tree, 0x1000, 0x5000, 0x1000));
    }

    [Fact]
    public void GapAfterTheLastItemEndsAtTheTop()
    {
        var tree = TreeOf((0x4000, 0x5000));
        Assert.Equal((0x5000UL, Top), GapTopDown(tree, 0, Top, 0x10000));
        Assert.Equal((0x5000UL, Top), GapBottomUp(tree, 0x4800, Top, 0x10000));
        Assert.Equal((0x5000UL, 0x7000UL), GapTopDown(tree, 0, 0x7000, 0x2000)); // high is exclusive
        Assert.Equal((0x5000UL, Top), GapTopDown(tree, 0, Top, Top - 0x5000));
        Assert.Null(GapTopDown(tree, 0x5000, Top, Top - 0x5000 + 1));
    }

    [Fact]
    public void ExactFitGapsAreFoundAndOneMoreIsNot()
    {
        // Gaps: [0, 0x1000) 0x1000 long, [0x2000, 0x5000) 0x3000, [0x6000, 0x8000) 0x2000, [0x9000, Top).
        var tree = TreeOf((0x1000, 0x2000), (0x5000, 0x6000), (0x8000, 0x9000));
        Assert.Equal((0x2000UL, 0x5000UL), GapTopDown(tree, 0, 0x9000, 0x3000));
        Assert.Equal((0x2000UL, 0x5000UL), GapBottomUp(tree, 0, 0x9000, 0x3000));
        Assert.Null(GapTopDown(tree, 0, 0x9000, 0x3001));
        Assert.Null(GapBottomUp(tree, 0, 0x9000, 0x3001));
        Assert.Equal((0x6000UL, 0x8000UL), GapTopDown(tree, 0, 0x9000, 0x2000));
        Assert.Equal((0x2000UL, 0x5000UL), GapBottomUp(tree, 0, 0x9000, 0x2000));
        Assert.Equal((0x6000UL, 0x8000UL), GapTopDown(tree, 0, 0x9000, 0x1000));
        Assert.Equal((0UL, 0x1000UL), GapBottomUp(tree, 0, 0x9000, 0x1000));
        Assert.Equal((0x9000UL, Top), GapTopDown(tree, 0, Top, 0x3001));
    }

    [Fact]
    public void GapsAreClippedToTheWindow()
    {
        var tree = TreeOf((0x1000, 0x2000), (0x5000, 0x6000), (0x8000, 0x9000));
        // Only 0x1000 of the 0x3000 gap [0x2000, 0x5000) lies in the window.
        Assert.Equal((0x4000UL, 0x5000UL), GapTopDown(tree, 0x4000, 0x5800, 0x1000));
        Assert.Null(GapTopDown(tree, 0x4001, 0x5800, 0x1000));
        Assert.Equal((0x2000UL, 0x3000UL), GapBottomUp(tree, 0x1800, 0x3000, 0x1000));
        Assert.Null(GapBottomUp(tree, 0x1800, 0x2fff, 0x1000));
        // A window inside one gap.
        Assert.Equal((0x2100UL, 0x2200UL), GapTopDown(tree, 0x2100, 0x2200, 0x100));
        // A window inside an item.
        Assert.Null(GapTopDown(tree, 0x5100, 0x5200, 1));
    }

    [Fact]
    public void TopDownPrefersHighGapsLikeMmapBase()
    {
        // Like a process with mappings just below mmap_base: the search places new mappings below them, using
        // the highest hole that fits first.
        const ulong MmapBase = 0x7fff_0000_0000;
        var tree = TreeOf(
            (MmapBase - 0x10000, MmapBase),
            (MmapBase - 0x30000, MmapBase - 0x12000),   // 0x2000 hole above
            (MmapBase - 0x60000, MmapBase - 0x31000));  // 0x1000 hole above
        Assert.Equal((MmapBase - 0x12000, MmapBase - 0x10000), GapTopDown(tree, 0x10000, MmapBase, 0x1000));
        Assert.Equal((MmapBase - 0x31000, MmapBase - 0x30000), GapTopDown(tree, 0x10000, MmapBase - 0x12000, 0x1000));
        Assert.Equal((0x10000UL, MmapBase - 0x60000), GapTopDown(tree, 0x10000, MmapBase, 0x3000));
        Assert.Equal((0x10000UL, MmapBase - 0x60000), GapBottomUp(tree, 0x10000, MmapBase, 0x1000));
    }

    [Fact]
    public void GapSearchRejectsBadArguments()
    {
        var tree = TreeOf((0x1000, 0x2000));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.FindGapTopDown(0, Top, 0, out _, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.FindGapBottomUp(0, Top, 0, out _, out _));
        Assert.Throws<ArgumentException>(() => tree.FindGapTopDown(0x2000, 0x1000, 1, out _, out _));
        Assert.Throws<ArgumentException>(() => tree.FindGapBottomUp(0x2000, 0x1000, 1, out _, out _));
        Assert.False(tree.FindGapTopDown(0x3000, 0x3000, 1, out ulong s, out ulong e));
        Assert.Equal((0UL, 0UL), (s, e));
    }

    [Fact]
    public void UpdateTakesInShrinkGrowAndMove()
    {
        var tree = TreeOf((0x1000, 0x2000), (0x4000, 0x5000), (0x8000, 0x9000));
        var middle = tree.Find(0x4000)!;

        middle.End = 0x4800;                      // shrink, as a partial munmap would
        int version = tree.Version;
        tree.Update(middle);
        tree.Validate();
        Assert.NotEqual(version, tree.Version);
        Assert.Null(tree.Find(0x4800));
        Assert.Equal((0x4800UL, 0x8000UL), GapTopDown(tree, 0, 0x8000, 0x3800));

        middle.Start = 0x2000;                    // grow down to touch the previous item
        tree.Update(middle);
        tree.Validate();
        Assert.Equal(middle, tree.Find(0x2000));
        Assert.Null(GapBottomUp(tree, 0x1000, 0x4800, 1));

        middle.Start = 0x6000;                    // move wholly within the gap
        middle.End = 0x7000;
        tree.Update(middle);
        tree.Validate();
        Assert.Null(tree.Find(0x4000));
        Assert.Equal(middle, tree.Find(0x6000));
        Assert.Equal((0x2000UL, 0x6000UL), GapBottomUp(tree, 0, 0x8000, 0x2000));
    }

    [Fact]
    public void UpdateRejectsOverlapAndEmptyRangesAndKeepsTheOldRange()
    {
        var tree = TreeOf((0x1000, 0x2000), (0x4000, 0x5000), (0x8000, 0x9000));
        var middle = tree.Find(0x4000)!;
        int version = tree.Version;

        middle.End = 0x8001;
        Assert.Throws<InvalidOperationException>(() => tree.Update(middle));
        middle.End = 0x5000;
        middle.Start = 0x1fff;
        Assert.Throws<InvalidOperationException>(() => tree.Update(middle));
        middle.Start = 0x9000;                    // would move past its successor
        middle.End = 0xa000;
        Assert.Throws<InvalidOperationException>(() => tree.Update(middle));
        middle.Start = 0x5000;
        middle.End = 0x5000;
        Assert.Throws<ArgumentException>(() => tree.Update(middle));
        Assert.Throws<InvalidOperationException>(() => tree.Update(new Item(0x3000, 0x3800)));

        Assert.Equal(version, tree.Version);
        Assert.Equal(middle, tree.Find(0x4000));  // the tree still has the old range
        middle.Start = 0x4000;
        middle.End = 0x5000;
        tree.Validate();
    }

    [Fact]
    public void ValidateCatchesARangeChangedWithoutUpdate()
    {
        var tree = TreeOf((0x1000, 0x2000));
        tree.First!.End = 0x3000;
        Assert.Throws<InvalidOperationException>(tree.Validate);
    }

    [Fact]
    public void AscendingAndDescendingInsertsStayBalanced()
    {
        var ascending = new RangeTree<Item>();
        var descending = new RangeTree<Item>();
        const int N = 4096;
        for (ulong i = 0; i < N; i++)
        {
            ascending.Insert(new Item(i * 0x2000, i * 0x2000 + 0x1000));
            descending.Insert(new Item((N - i) * 0x2000, (N - i) * 0x2000 + 0x1000));
        }

        // Validate checks the AVL balance of every node, which bounds the height by 1.44 log2 n.
        ascending.Validate();
        descending.Validate();
        Assert.Equal(N, ascending.Count);
        Assert.Equal(N, descending.Count);
    }

    [Fact]
    public void EnumerationThrowsAfterInsert()
    {
        var tree = TreeOf((0x1000, 0x2000), (0x3000, 0x4000));
        Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var item in tree)
                tree.Insert(new Item(item.End, item.End + 0x100));
        });
    }

    [Fact]
    public void EnumerationThrowsAfterRemove()
    {
        var tree = TreeOf((0x1000, 0x2000), (0x3000, 0x4000));
        Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var item in tree.Intersecting(0, Top))
                tree.Remove(item);
        });
    }

    [Fact]
    public void EnumerationThrowsAfterUpdate()
    {
        var tree = TreeOf((0x1000, 0x2000), (0x3000, 0x4000));
        var e = tree.GetEnumerator();
        Assert.True(e.MoveNext());
        e.Current.End = 0x1800;
        tree.Update(e.Current);
        Assert.Throws<InvalidOperationException>(() => e.MoveNext());
    }

    [Fact]
    public void EnumerationCanBeRepeatedAndReset()
    {
        var tree = TreeOf((0x1000, 0x2000), (0x3000, 0x4000), (0x5000, 0x6000));
        Assert.Equal(3, tree.Count());            // through IEnumerable<T>
        Assert.Equal([0x3000UL, 0x5000UL], tree.Where(i => i.Start > 0x2000).Select(i => i.Start));

        var e = tree.Intersecting(0x3000, 0x5001);
        Assert.True(e.MoveNext());
        Assert.True(e.MoveNext());
        Assert.Equal(0x5000UL, e.Current.Start);
        Assert.False(e.MoveNext());
        Assert.False(e.MoveNext());
        e.Reset();
        Assert.True(e.MoveNext());
        Assert.Equal(0x3000UL, e.Current.Start);
    }

    [Fact]
    public void LookupsAndEnumerationDoNotAllocate()
    {
        var tree = new RangeTree<Item>();
        for (ulong i = 0; i < 1000; i++)
            tree.Insert(new Item(i * 0x3000, i * 0x3000 + 0x1000));
        var middle = tree.Find(500 * 0x3000)!;

        ulong Work()
        {
            ulong sum = 0;
            sum += tree.Find(0x3000)!.Start;
            sum += tree.FindFirstEndingAfter(0x1000)!.Start;
            sum += tree.FindLastStartingBefore(0x7000)!.Start;
            sum += tree.Next(middle)!.Start + tree.Prev(middle)!.Start;
            sum += (ulong)tree.CountIntersecting(0, 0x30000);
            foreach (var item in tree)
                sum += item.Start;
            foreach (var item in tree.Intersecting(0x10000, 0x20000))
                sum += item.End;
            if (tree.FindGapTopDown(0, Top, 0x2000, out ulong s, out _))
                sum += s;
            if (tree.FindGapBottomUp(0, Top, 0x2000, out s, out _))
                sum += s;
            return sum;
        }

        Work();
        long before = GC.GetAllocatedBytesForCurrentThread();
        ulong result = Work();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0UL, result);
    }

    /// <summary>
    /// Runs random inserts, removes, updates and queries against a sorted list with linear scans, validating the
    /// tree after every change. Addresses come from a small space so that overlaps and exact fits are common, and
    /// are shifted to the top of the address space in some runs to exercise the edges.
    /// </summary>
    [Theory]
    [InlineData(1, 0UL)]
    [InlineData(2, 0UL)]
    [InlineData(3, 0x7fff_0000_0000UL)]
    [InlineData(4, ulong.MaxValue - 4096)]
    public void MatchesAReferenceModel(int seed, ulong bias)
    {
        const int Operations = 20_000;
        const ulong Space = 4096;
        var random = new Random(seed);
        var tree = new RangeTree<Item>();
        var model = new List<Item>();

        ulong Address() => bias + (ulong)random.NextInt64(0, (long)Space + 1);

        for (int op = 0; op < Operations; op++)
        {
            int choice = random.Next(100);
            if (choice < 35 || model.Count == 0)
            {
                ulong start = Address();
                ulong end = start + Math.Min(bias + Space - start, (ulong)random.Next(1, 40));
                if (start == end)
                    continue;
                var item = new Item(start, end);
                bool overlaps = model.Exists(i => i.Start < end && start < i.End);
                if (overlaps)
                {
                    Assert.Throws<InvalidOperationException>(() => tree.Insert(item));
                }
                else
                {
                    tree.Insert(item);
                    int at = model.FindIndex(i => i.Start > start);
                    model.Insert(at < 0 ? model.Count : at, item);
                }

                tree.Validate();
            }
            else if (choice < 60)
            {
                var item = model[random.Next(model.Count)];
                tree.Remove(item);
                model.Remove(item);
                tree.Validate();
            }
            else if (choice < 75)
            {
                int index = random.Next(model.Count);
                var item = model[index];
                ulong oldStart = item.Start, oldEnd = item.End;
                ulong lowest = index == 0 ? bias : model[index - 1].End;
                ulong highest = index == model.Count - 1 ? bias + Space : model[index + 1].Start;
                // Usually a legal new range between the neighbours; sometimes one that reaches past them.
                bool legal = random.Next(4) != 0;
                ulong start, end;
                if (legal)
                {
                    start = lowest + (ulong)random.NextInt64(0, (long)(highest - lowest));
                    end = start + 1 + (ulong)random.NextInt64(0, (long)(highest - start));
                }
                else
                {
                    start = lowest - Math.Min(lowest - bias, (ulong)random.Next(0, 20));
                    end = highest + Math.Min(bias + Space - highest, (ulong)random.Next(0, 20));
                    legal = (index == 0 || model[index - 1].End <= start)
                        && (index == model.Count - 1 || end <= model[index + 1].Start);
                }

                item.Start = start;
                item.End = end;
                if (legal)
                {
                    tree.Update(item);
                }
                else
                {
                    Assert.Throws<InvalidOperationException>(() => tree.Update(item));
                    item.Start = oldStart;
                    item.End = oldEnd;
                }

                tree.Validate();
            }
            else
            {
                CheckQueries(tree, model, Address, random);
            }

            Assert.Equal(model.Count, tree.Count);
        }

        tree.Validate();
        Assert.Equal(model, tree.ToList());
    }

    private static void CheckQueries(RangeTree<Item> tree, List<Item> model, Func<ulong> address, Random random)
    {
        Assert.Equal(model.FirstOrDefault(), tree.First);
        Assert.Equal(model.LastOrDefault(), tree.Last);

        ulong addr = address();
        Assert.Same(model.Find(i => i.Start <= addr && addr < i.End), tree.Find(addr));
        Assert.Same(model.Find(i => i.End > addr), tree.FindFirstEndingAfter(addr));
        Assert.Same(model.FindLast(i => i.Start < addr), tree.FindLastStartingBefore(addr));

        if (model.Count > 0)
        {
            int index = random.Next(model.Count);
            Assert.Same(index + 1 < model.Count ? model[index + 1] : null, tree.Next(model[index]));
            Assert.Same(index > 0 ? model[index - 1] : null, tree.Prev(model[index]));
        }

        ulong lo = address();
        ulong hi = random.Next(8) == 0 ? ulong.MaxValue : address();
        var expected = model.FindAll(i => lo < hi && i.Start < hi && lo < i.End);
        Assert.Equal(expected, Items(tree.Intersecting(lo, hi)));
        Assert.Equal(expected.Count, tree.CountIntersecting(lo, hi));

        if (lo > hi)
            (lo, hi) = (hi, lo);
        if (random.Next(8) == 0)
            lo = 0;
        ulong length = (ulong)random.Next(1, 64);
        var fitting = FreeGaps(model)
            .Select(g => (Start: Math.Max(g.Start, lo), End: Math.Min(g.End, hi)))
            .Where(g => g.Start < g.End && g.End - g.Start >= length)
            .ToList();
        Assert.Equal(fitting.Count > 0 ? fitting[^1] : ((ulong, ulong)?)null, GapTopDown(tree, lo, hi, length));
        Assert.Equal(fitting.Count > 0 ? fitting[0] : ((ulong, ulong)?)null, GapBottomUp(tree, lo, hi, length));
    }

    // Every free range of the address space, lowest first, including empty ones between adjacent items.
    private static IEnumerable<(ulong Start, ulong End)> FreeGaps(List<Item> model)
    {
        ulong free = 0;
        foreach (var item in model)
        {
            yield return (free, item.Start);
            free = item.End;
        }

        yield return (free, ulong.MaxValue);
    }
}
