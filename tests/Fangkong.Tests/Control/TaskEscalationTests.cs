using Fangkong.Jurisdictions;
using Fangkong.Tasks;

namespace Fangkong.Tests.Control;

public sealed class TaskEscalationTests
{
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
