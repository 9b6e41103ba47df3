/**
 * Country names as sources store them (Okta's geolocation gives English short names, e.g. "United States") with
 * their ISO 3166-1 alpha-2 and alpha-3 codes and common aliases, so "US", "USA", "the U.S." and "America" all
 * mean "United States". Codes are matched only when written in capitals ("US", not the pronoun "us").
 */
export interface Country {
  readonly name: string;
  readonly alpha2: string;
  readonly alpha3: string;
  /** Lower-case alternative names and adjectives ("american", "uk", "britain"). */
  readonly aliases: readonly string[];
}

const table = `
United States|US|USA|united states of america;america;u.s.;u.s.a.;u.s;american
United Kingdom|GB|GBR|uk;u.k.;great britain;britain;england;british
Canada|CA|CAN|canadian
Mexico|MX|MEX|mexican
Brazil|BR|BRA|brazilian
Argentina|AR|ARG|argentinian
Chile|CL|CHL|chilean
Colombia|CO|COL|colombian
Peru|PE|PER|peruvian
Germany|DE|DEU|german
France|FR|FRA|french
Spain|ES|ESP|spanish
Portugal|PT|PRT|portuguese
Italy|IT|ITA|italian
Netherlands|NL|NLD|the netherlands;holland;dutch
Belgium|BE|BEL|belgian
Switzerland|CH|CHE|swiss
Austria|AT|AUT|austrian
Ireland|IE|IRL|irish
Sweden|SE|SWE|swedish
Norway|NO|NOR|norwegian
Denmark|DK|DNK|danish
Finland|FI|FIN|finnish
Poland|PL|POL|polish
Czechia|CZ|CZE|czech republic;czech
Romania|RO|ROU|romanian
Bulgaria|BG|BGR|bulgarian
Hungary|HU|HUN|hungarian
Greece|GR|GRC|greek
Turkey|TR|TUR|turkiye;türkiye;turkish
Ukraine|UA|UKR|ukrainian
Russia|RU|RUS|russian federation;russian
Belarus|BY|BLR|belarusian
Israel|IL|ISR|israeli
Iran|IR|IRN|iranian
Iraq|IQ|IRQ|iraqi
Saudi Arabia|SA|SAU|saudi
United Arab Emirates|AE|ARE|uae;emirates;emirati
Egypt|EG|EGY|egyptian
Nigeria|NG|NGA|nigerian
Kenya|KE|KEN|kenyan
South Africa|ZA|ZAF|south african
Morocco|MA|MAR|moroccan
India|IN|IND|indian
Pakistan|PK|PAK|pakistani
Bangladesh|BD|BGD|bangladeshi
China|CN|CHN|chinese;prc
Hong Kong|HK|HKG|
Taiwan|TW|TWN|taiwanese
Japan|JP|JPN|japanese
South Korea|KR|KOR|korea;republic of korea;korean
North Korea|KP|PRK|dprk;north korean
Singapore|SG|SGP|singaporean
Malaysia|MY|MYS|malaysian
Indonesia|ID|IDN|indonesian
Philippines|PH|PHL|the philippines;filipino
Thailand|TH|THA|thai
Vietnam|VN|VNM|viet nam;vietnamese
Australia|AU|AUS|australian
New Zealand|NZ|NZL|kiwi
`;

export const countries: readonly Country[] = table
  .trim()
  .split('\n')
  .map((line) => {
    const [name, alpha2, alpha3, aliases] = line.split('|') as [string, string, string, string];
    return { name, alpha2, alpha3, aliases: aliases.split(';').filter((a) => a !== '') };
  });
