/** Where CommCare keeps API keys: the hint under every API key input. */
export function ApiKeyHelp() {
  return (
    <>
      In CommCare HQ: <strong className="font-medium text-foreground">Settings → My Account → API Keys</strong>.
    </>
  );
}
