using System.Numerics;

namespace Fangkong.Tracing;

/// <summary>A set of person ids as a bitmap: one bit a person, so a million people take 125 KB.</summary>
public sealed class PersonSet(int limit)
{
    private readonly ulong[] _words = new ulong[(Math.Max(limit, 0) + 63) / 64];

    public static PersonSet Of(IEnumerable<int> people, int limit)
    {
        var set = new PersonSet(Math.Max(limit, people.DefaultIfEmpty(-1).Max() + 1));
        foreach (var p in people)
        {
            set.Add(p);
        }
        return set;
    }

    /// <summary>The bitmap, at least <paramref name="limit"/> bits long (a copy when this one is shorter).</summary>
    internal ulong[] WordsFor(int limit)
    {
        var needed = (Math.Max(limit, 0) + 63) / 64;
        if (_words.Length >= needed)
        {
            return _words;
        }
        var words = new ulong[needed];
        _words.CopyTo(words, 0);
        return words;
    }

    public bool Contains(int person) => (uint)person < (uint)(_words.Length * 64) && (_words[person >> 6] & (1UL << person)) != 0;

    /// <summary>Adds; false when the person was in already.</summary>
    public bool Add(int person)
    {
        ref var word = ref _words[person >> 6];
        var bit = 1UL << person;
        if ((word & bit) != 0)
        {
            return false;
        }
        word |= bit;
        return true;
    }

    public void UnionWith(PersonSet other)
    {
        for (var i = 0; i < Math.Min(_words.Length, other._words.Length); i++)
        {
            _words[i] |= other._words[i];
        }
    }

    /// <summary>Removes every member of <paramref name="other"/>.</summary>
    public void ExceptWith(PersonSet other)
    {
        for (var i = 0; i < Math.Min(_words.Length, other._words.Length); i++)
        {
            _words[i] &= ~other._words[i];
        }
    }

    public int Count
    {
        get
        {
            var n = 0;
            foreach (var w in _words)
            {
                n += BitOperations.PopCount(w);
            }
            return n;
        }
    }

    /// <summary>The members in ascending order.</summary>
    public int[] ToArray()
    {
        var members = new int[Count];
        var k = 0;
        for (var i = 0; i < _words.Length; i++)
        {
            for (var w = _words[i]; w != 0; w &= w - 1)
            {
                members[k++] = i * 64 + BitOperations.TrailingZeroCount(w);
            }
        }
        return members;
    }
}
