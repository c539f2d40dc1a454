using Fangkong.Jurisdictions;
using Fangkong.Policies;
using Fangkong.Tasks;

namespace Fangkong.Tests.Control;

public sealed class TaskEscalationTests
{
    private static readonly EscalationRule Rule = PolicyCatalog.Load().Get("cn-v8-2021").Control.EscalateAfterHoursOverdue;

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, 0)]
    [InlineData(3 * 3600 + 3599, 0)]
    [InlineData(4 * 3600, 1)]
    [InlineData(12 * 3600 - 1, 1)]
    [InlineData(12 * 3600, 2)]
    [InlineData(24 * 3600, 3)]
    [InlineData(30 * 86400, 3)]
    public void LevelFollowsThePolicysDelays(long secondsOverdue, int level) =>
        Assert.Equal(level, TaskEscalation.LevelFor(Rule, 1_000_000, 1_000_000 + secondsOverdue));

    [Theory]
    [InlineData("640104003004", 0, "640104003004")]
    [InlineData("640104003004", 1, "640104")]
    [InlineData("640104003004", 2, "640100")]
    [InlineData("640104003004", 3, "640000")]
    [InlineData("640402", 1, "640402")]
    [InlineData("640402", 2, "640400")]
    public void OwnerMovesUpTheChain(string home, int level, string owner) =>
        Assert.Equal(owner, TaskEscalation.OwnerAt(JurisdictionCode.Parse(home), level).Value);
}
