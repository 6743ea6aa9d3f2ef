"""Awaits the user lookup but forgets the posts: the page shows a coroutine object for the posts.

expect: not-awaited
"""


def render_page(user, posts):
    return f"== {user} ==\n{posts}"


async def profile_page(get_user, get_posts, user_id):
    user = await get_user(user_id)
    posts = get_posts(user_id)
    return render_page(user, posts)
