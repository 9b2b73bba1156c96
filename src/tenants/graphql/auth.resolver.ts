import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../lib/request-context.js';
import { requireViewer } from '../access.js';
import { changePassword } from '../auth/change-password.js';
import { login } from '../auth/login.js';
import type { LoginRateLimiter } from '../auth/login-rate-limiter.js';
import type { Sessions } from '../auth/sessions.js';
import type { TokenService } from '../auth/tokens.js';
import { User } from '../user.entity.js';
import { AuthPayload, UserType } from './types.js';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly tokens: TokenService,
    private readonly limiter: LoginRateLimiter,
    private readonly sessions: Pick<Sessions, 'forget'>,
  ) {}

  @Mutation(() => AuthPayload, { description: 'Exchanges email and password for a bearer token.' })
  async login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    const result = await login({ em: ctx.em, tokens: this.tokens, limiter: this.limiter }, { email, password, client: ctx.clientAddress });
    ctx.log.info({ userId: result.user.id }, 'signed in');
    return result;
  }

  @Mutation(() => AuthPayload, {
    description: "Changes the signed-in user's password. Every token issued before stops working (sockets using one are closed with 4401); use the one returned.",
  })
  async changePassword(
    @Arg('currentPassword') currentPassword: string,
    @Arg('newPassword') newPassword: string,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayload> {
    const viewer = requireViewer(ctx.viewer);
    const deps = { em: ctx.em, tokens: this.tokens, limiter: this.limiter };
    const result = await changePassword(deps, { viewer, currentPassword, newPassword, client: ctx.clientAddress });
    this.sessions.forget(viewer.userId);
    ctx.log.info({ userId: viewer.userId }, 'password changed; earlier tokens revoked');
    return result;
  }

  @Query(() => UserType, { nullable: true, description: 'The signed-in user.' })
  async me(@Ctx() ctx: RequestContext): Promise<User | null> {
    if (!ctx.viewer) return null;
    return ctx.em.findOne(User, { id: ctx.viewer.userId }, { populate: ['tenant'] });
  }
}
