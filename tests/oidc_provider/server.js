// A real OpenID Connect provider (the certified `oidc-provider`) for the single sign-on
// tests, started by tests/oidc_provider/fixtures.py. Its people and their groups live in a
// JSON file the tests write (OIDC_ACCOUNTS_FILE), read again at every sign-in, so a test
// can change someone's groups "at the provider" between two sign-ins. Its own login page
// (devInteractions) takes any password: the tests are about the dashboard's side.
import { readFileSync } from 'node:fs'
import Provider from 'oidc-provider'

const port = Number(process.env.OIDC_PORT)
const issuer = `http://localhost:${port}`
const accountsFile = process.env.OIDC_ACCOUNTS_FILE

function people () {
  return JSON.parse(readFileSync(accountsFile, 'utf8'))
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID,
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: process.env.OIDC_REDIRECT_URIS.split(','),
    post_logout_redirect_uris: (process.env.OIDC_POST_LOGOUT_REDIRECT_URIS || '').split(',').filter(Boolean),
    grant_types: ['authorization_code'],
    response_types: ['code']
  }],
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email', 'email_verified'],
    groups: ['groups']
  },
  scopes: ['openid', 'profile', 'email', 'groups'],
  cookies: { keys: ['tests-only-cookie-key'] },
  features: { devInteractions: { enabled: true } },
  async findAccount (ctx, id) {
    const person = people()[id]
    if (!person) return undefined
    return {
      accountId: id,
      async claims () {
        return {
          sub: id,
          name: person.name || id,
          preferred_username: id,
          email: person.email || `${id}@example.test`,
          email_verified: true,
          groups: people()[id]?.groups || []
        }
      }
    }
  },
  // The dashboard is the company's own application: no consent screen, as an identity
  // provider's admins set it up for first-party apps.
  async loadExistingGrant (ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId ||
      ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId)
    if (grantId) return ctx.oidc.provider.Grant.find(grantId)
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId
    })
    grant.addOIDCScope('openid profile email groups')
    await grant.save()
    return grant
  }
})

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`)
})
