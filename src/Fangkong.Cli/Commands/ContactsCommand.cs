using System.CommandLine;
using Fangkong.Storage.Contacts;
using Fangkong.Storage.People;
using Fangkong.Storage.Venues;
using Fangkong.Tracing;
using Spectre.Console;

namespace Fangkong.Cli.Commands;

/// <summary><c>fangkong contacts</c>: the stored contacts of the last full trace, with their evidence.</summary>
internal static class ContactsCommand
{
    public static Command Build()
    {
        var caseId = new Option<string?>("--case") { Description = "Only the contacts reached through this case (person_id)." };
        var tier = new Option<string?>("--tier") { Description = "close (密接), secondary (次密接), grid (时空伴随者) or general (一般接触者)." };
        tier.AcceptOnlyFromAmong("close", "secondary", "grid", "general");
        var command = new Command("contacts", "List traced contacts (密接 / 次密接) with their evidence: index case, via, venue, overlap and policy.") { caseId, tier };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            int? index = parse.GetValue(caseId) is { } key ? (await CaseCommand.FindPersonAsync(db, key, ct)).Id : null;
            var contacts = await ContactRepository.LoadAsync(db, index, ct);
            if (parse.GetValue(tier) is { } t)
            {
                contacts = contacts.Where(c => c.Finding.Tier.ToCode() == t).ToList();
            }
            var people = (await PersonRepository.LoadAllAsync(db, ct)).ToDictionary(p => p.Id);
            var venues = (await VenueRepository.LoadAllAsync(db, ct)).ToDictionary(v => v.Id);
            var cells = await Storage.Grid.GridCellRepository.LoadAllAsync(db, ct);
            var table = new Table().AddColumns("person_id", "name 姓名", "tier 分级", "index case", "via", "venue 场所", "from", "to", "min", "policy");
            foreach (var c in contacts)
            {
                var f = c.Finding;
                var venue = f.Venue is { } v ? $"{venues[v].Venue.VenueKey} {venues[v].Venue.Name}" : f.Cell is { } cell ? $"cell 网格 {cells.GetValueOrDefault(cell)}" : f.Transport ?? "(exposure 接触)";
                table.AddRow(Markup.Escape(people[f.Person].Person.PersonKey), Markup.Escape(people[f.Person].Person.Name ?? ""), f.Tier switch { ContactTier.Close => "close 密接", ContactTier.Secondary => "secondary 次密接", ContactTier.Grid => "grid 时空伴随", _ => "general 一般接触者" },
                    Markup.Escape(people[f.IndexPerson].Person.PersonKey), Markup.Escape(f.ViaPerson is { } via ? people[via].Person.PersonKey : ""), Markup.Escape(venue),
                    db.Calendar.Format(f.Start), db.Calendar.Format(f.End), f.Minutes.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{c.PolicyId} v{c.PolicyVersion}");
            }
            Fangkong.Cli.Console.Screen.Write(table);
            System.Console.WriteLine($"{contacts.Count} contact(s).");
            return 0;
        });
        return command;
    }
}
