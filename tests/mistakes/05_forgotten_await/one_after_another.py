"""Awaits both lookups, one on each line: the right page, but two seconds instead of one.

expect: sequential
"""


def render_page(user, posts):
    return f"== {user} ==\n{posts}"


async def profile_page(get_user, get_posts, user_id):
    user = await get_user(user_id)
    posts = await get_posts(user_id)
    return render_page(user, posts)
