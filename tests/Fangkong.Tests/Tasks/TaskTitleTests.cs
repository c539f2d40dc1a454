using Fangkong.Application.Text;
using Fangkong.Tasks;

namespace Fangkong.Tests.Tasks;

public sealed class TaskTitleTests
{
    private static readonly Texts Texts = Texts.Load();

    [Fact]
    public void ATitle_ReadsInEachLanguage_WithItsCodedValuesTranslated()
    {
        var title = TaskTitle.Of("notify", TaskTitle.Text("group.close"), TaskTitle.Text("measure.home_quarantine"));

        Assert.Equal("告知密切接触者管控措施：居家隔离", Texts.Title(Texts.Chinese, title));
        Assert.Equal("Tell the Close contact their control measure: Home quarantine", Texts.Title(Texts.English, title));
    }

    [Fact]
    public void ATitle_SurvivesItsStoredForm_WithValuesThatLookLikeSeparators()
    {
        var title = TaskTitle.Of("fever", TaskTitle.Number(38.25), "咳嗽, \"乏力\" [2]");

        var back = TaskTitle.Decode(title.Encode());

        Assert.Equal(title.Key, back.Key);
        Assert.Equal(title.Args, back.Args);
        Assert.Equal("发热或症状（38.3 °C 咳嗽, \"乏力\" [2]）：立即采样并就诊", Texts.Title(Texts.Chinese, back));
    }

    [Theory]
    [InlineData("点对点转运至集中隔离点")]
    [InlineData("[\"not a title key\"]")]
    [InlineData("[\"taskTitle.broken")]
    public void AStoredPlainTitle_IsShownAsItIs(string stored)
    {
        var title = TaskTitle.Decode(stored);

        Assert.True(title.IsPlain);
        Assert.Equal(stored, Texts.Title(Texts.English, title));
    }
}
